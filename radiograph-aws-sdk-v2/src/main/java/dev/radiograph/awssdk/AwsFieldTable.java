package dev.radiograph.awssdk;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which fields of an operation's request and response go into the {@code aws} block, read from
 * {@code .properties} files: the built-in {@value #BUILT_IN}, then every classpath resource
 * {@value #USER_RESOURCE}, then the file named by the setting {@code aws-fields} (system
 * property {@code radiograph.aws-fields}, or the Spring Boot property of that name). A later
 * file's entry replaces an earlier one with the same key.
 *
 * <p>A data file rather than code, so that a service the built-in table does not know is one
 * line for the user, and so that what may leave the process is reviewable in one place.
 */
final class AwsFieldTable {
  static final String BUILT_IN = "dev/radiograph/awssdk/aws-fields.properties";
  static final String USER_RESOURCE = "radiograph-aws-fields.properties";
  private static final String RESPONSE_SUFFIX = ".response";
  private static final System.Logger LOG = System.getLogger(AwsFieldTable.class.getName());

  /** One field to copy: the {@code aws} block's key and the SDK model's member name. */
  record Field(String awsKey, String sdkField) {}

  /** The fields of one operation. */
  record Fields(List<Field> request, List<Field> response) {
    static final Fields NONE = new Fields(List.of(), List.of());
  }

  /** The tables read so far, by the user's file ("" for none): each is read once. */
  private static final Map<String, AwsFieldTable> BY_FILE = new ConcurrentHashMap<>();

  private final Map<String, String> entries;
  private final Map<String, Fields> byOperation = new ConcurrentHashMap<>();

  AwsFieldTable(Map<String, String> entries) {
    this.entries = Map.copyOf(entries);
  }

  /**
   * The table for a recorder whose {@code aws-fields} setting is {@code userFile} (null: none),
   * read the first time it is asked for, with the context class loader's resources.
   */
  static AwsFieldTable forFile(String userFile) {
    return BY_FILE.computeIfAbsent(userFile == null ? "" : userFile,
        file -> load(Thread.currentThread().getContextClassLoader(), file));
  }

  /** The table from the built-in file and the user's (see the class). */
  static AwsFieldTable load(ClassLoader loader, String userFile) {
    Map<String, String> entries = new LinkedHashMap<>();
    try {
      URL builtIn = AwsFieldTable.class.getClassLoader().getResource(BUILT_IN);
      if (builtIn != null) {
        read(builtIn, entries);
      }
      Enumeration<URL> userResources = loader != null ? loader.getResources(USER_RESOURCE) : Collections.emptyEnumeration();
      while (userResources.hasMoreElements()) {
        read(userResources.nextElement(), entries);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Radiograph: could not read the AWS field files", e);
    }
    if (userFile != null && !userFile.isBlank()) {
      try (Reader reader = Files.newBufferedReader(Path.of(userFile), StandardCharsets.UTF_8)) {
        readInto(reader, entries);
      } catch (IOException | RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "Radiograph: could not read the AWS field file " + userFile
            + " (setting aws-fields): " + e + "; the built-in fields apply");
      }
    }
    return new AwsFieldTable(entries);
  }

  /** The fields of {@code service}'s {@code operation}: its own entry over the service's {@code *}. */
  Fields fields(String service, String operation) {
    return byOperation.computeIfAbsent(service + "." + operation, key -> resolve(service, key));
  }

  private Fields resolve(String service, String key) {
    List<Field> request = merge(entries.get(service + ".*"), entries.get(key));
    List<Field> response = merge(entries.get(service + ".*" + RESPONSE_SUFFIX), entries.get(key + RESPONSE_SUFFIX));
    return request.isEmpty() && response.isEmpty() ? Fields.NONE : new Fields(request, response);
  }

  private static List<Field> merge(String serviceWide, String specific) {
    Map<String, Field> fields = new LinkedHashMap<>();
    for (String entry : new String[] {serviceWide, specific}) {
      for (Field field : parse(entry)) {
        fields.put(field.awsKey(), field);
      }
    }
    return List.copyOf(fields.values());
  }

  /** {@code table_name:TableName,key:Key}; malformed pairs are skipped. */
  static List<Field> parse(String entry) {
    if (entry == null) {
      return List.of();
    }
    List<Field> fields = new ArrayList<>();
    for (String pair : entry.split(",")) {
      int colon = pair.indexOf(':');
      String awsKey = colon > 0 ? pair.substring(0, colon).trim() : "";
      String sdkField = colon > 0 ? pair.substring(colon + 1).trim() : "";
      if (!awsKey.isEmpty() && !sdkField.isEmpty()) {
        fields.add(new Field(awsKey, sdkField));
      } else if (!pair.isBlank()) {
        LOG.log(System.Logger.Level.WARNING, "Radiograph: ignoring AWS field \"" + pair.trim()
            + "\": expected aws_key:SdkField");
      }
    }
    return fields;
  }

  private static void read(URL url, Map<String, String> entries) throws IOException {
    try (InputStream in = url.openStream();
         Reader reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
      readInto(reader, entries);
    }
  }

  private static void readInto(Reader reader, Map<String, String> entries) throws IOException {
    Properties properties = new Properties();
    properties.load(reader);
    for (String name : properties.stringPropertyNames()) {
      entries.put(name.trim(), properties.getProperty(name));
    }
  }
}
