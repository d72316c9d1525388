package dev.radiograph.sql;

/**
 * What an integration knows about the database a query goes to, written once per pool or
 * connection and repeated in every query's {@code sql} block: the name and host that make the
 * subsegment's name ({@code database@host}), the URL without credentials, the user, the product
 * and its version, the driver's version. Immutable; build one with {@link #builder()}.
 *
 * <p>Every field is optional: a driver that cannot tell one leaves it out, and null or an empty
 * string means "not known" (so that metadata read from a driver can be passed as it comes).
 *
 * <pre>{@code
 * SqlDatabase orders = SqlDatabase.builder()
 *     .name("orders").host("db.internal")
 *     .url("jdbc:postgresql://db.internal:5432/orders")
 *     .databaseType("PostgreSQL").user("app")
 *     .build();
 * }</pre>
 */
public final class SqlDatabase {
  private final String name;
  private final String host;
  private final String url;
  private final String user;
  private final String databaseType;
  private final String databaseVersion;
  private final String driverVersion;

  private SqlDatabase(Builder builder) {
    this.name = builder.name;
    this.host = builder.host;
    this.url = builder.url;
    this.user = builder.user;
    this.databaseType = builder.databaseType;
    this.databaseVersion = builder.databaseVersion;
    this.driverVersion = builder.driverVersion;
  }

  /** A builder with every field unknown. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this description's fields, to derive another (a connection's own user). */
  public Builder newBuilder() {
    return new Builder(this);
  }

  /**
   * X-Ray's name for a query's subsegment, {@code database@host}: the database's name (else the
   * database type, else {@code database}) at the host (else {@code localhost}, for in-memory and
   * file databases).
   */
  public String subsegmentName() {
    String database = name != null ? name : databaseType != null ? databaseType : "database";
    return database + "@" + (host != null ? host : "localhost");
  }

  /** The database (catalog, namespace) the connection uses, or null. */
  public String name() {
    return name;
  }

  /** The host, without brackets or port, or null. */
  public String host() {
    return host;
  }

  /** The URL without credentials, or null. */
  public String url() {
    return url;
  }

  /** The user the connection logs in as, or null. */
  public String user() {
    return user;
  }

  /** The database product ({@code PostgreSQL}, {@code MySQL}, {@code H2}), or null. */
  public String databaseType() {
    return databaseType;
  }

  /** The product's version, or null. */
  public String databaseVersion() {
    return databaseVersion;
  }

  /** The client driver's version, or null. */
  public String driverVersion() {
    return driverVersion;
  }

  @Override
  public String toString() {
    return "SqlDatabase[" + subsegmentName() + (url != null ? ", " + url : "") + "]";
  }

  /** Builds a {@link SqlDatabase}; a null or empty value leaves the field unknown. */
  public static final class Builder {
    private String name;
    private String host;
    private String url;
    private String user;
    private String databaseType;
    private String databaseVersion;
    private String driverVersion;

    private Builder() {}

    private Builder(SqlDatabase database) {
      name = database.name;
      host = database.host;
      url = database.url;
      user = database.user;
      databaseType = database.databaseType;
      databaseVersion = database.databaseVersion;
      driverVersion = database.driverVersion;
    }

    /** The database (catalog, namespace): the part of the subsegment name before {@code @}. */
    public Builder name(String name) {
      this.name = known(name);
      return this;
    }

    /**
     * The host the queries go to, as {@link dev.radiograph.net.HostAndPort#host()} gives it: without
     * port or brackets (X-Ray's names have no brackets).
     */
    public Builder host(String host) {
      this.host = known(host);
      return this;
    }

    /** Where the database is, as a URL that must not hold a password. */
    public Builder url(String url) {
      this.url = known(url);
      return this;
    }

    public Builder user(String user) {
      this.user = known(user);
      return this;
    }

    /** The database product, as X-Ray spells it ({@code PostgreSQL}, {@code MySQL}). */
    public Builder databaseType(String databaseType) {
      this.databaseType = known(databaseType);
      return this;
    }

    public Builder databaseVersion(String databaseVersion) {
      this.databaseVersion = known(databaseVersion);
      return this;
    }

    public Builder driverVersion(String driverVersion) {
      this.driverVersion = known(driverVersion);
      return this;
    }

    public SqlDatabase build() {
      return new SqlDatabase(this);
    }

    private static String known(String value) {
      return value == null || value.isEmpty() ? null : value;
    }
  }
}
