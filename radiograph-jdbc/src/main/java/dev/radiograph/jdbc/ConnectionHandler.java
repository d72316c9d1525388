package dev.radiograph.jdbc;

import dev.radiograph.sql.StatementKind;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;

/**
 * A traced {@link Connection}: every statement it creates is traced; everything else goes to the
 * driver's connection unchanged.
 *
 * <p>RATIONALE: JDK dynamic proxies instead of hand-written delegates, so that every method of
 * every JDBC version (and the drivers' {@code unwrap} targets) passes through without a
 * thousand lines of delegation that could fall behind the JDK.
 */
final class ConnectionHandler implements InvocationHandler {
  private static final ClassLoader LOADER = ConnectionHandler.class.getClassLoader();

  private final Connection delegate;
  private final QueryTracing tracing;

  private ConnectionHandler(Connection delegate, QueryTracing tracing) {
    this.delegate = delegate;
    this.tracing = tracing;
  }

  static Connection wrap(Connection delegate, QueryTracing tracing) {
    if (delegate == null || isTraced(delegate)) {
      return delegate;
    }
    return (Connection) Proxy.newProxyInstance(LOADER, new Class<?>[] {Connection.class},
        new ConnectionHandler(delegate, tracing));
  }

  static boolean isTraced(Object jdbcObject) {
    return Proxy.isProxyClass(jdbcObject.getClass())
        && (Proxy.getInvocationHandler(jdbcObject) instanceof ConnectionHandler
            || Proxy.getInvocationHandler(jdbcObject) instanceof StatementHandler);
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    switch (method.getName()) {
      case "createStatement":
        return StatementHandler.wrap(Statement.class, (Statement) QueryTracing.invoke(delegate, method, args),
            (Connection) proxy, tracing, null, tracing.plain());
      case "prepareStatement":
        return StatementHandler.wrap(PreparedStatement.class,
            (PreparedStatement) QueryTracing.invoke(delegate, method, args), (Connection) proxy, tracing,
            (String) args[0], StatementKind.PREPARED);
      case "prepareCall":
        return StatementHandler.wrap(CallableStatement.class,
            (CallableStatement) QueryTracing.invoke(delegate, method, args), (Connection) proxy, tracing,
            (String) args[0], StatementKind.CALL);
      case "unwrap":
        return ((Class<?>) args[0]).isInstance(proxy) ? proxy : delegate.unwrap((Class<?>) args[0]);
      case "isWrapperFor":
        return ((Class<?>) args[0]).isInstance(proxy) || delegate.isWrapperFor((Class<?>) args[0]);
      case "equals":
        return args.length == 1 && proxy == args[0];
      case "hashCode":
        if (method.getParameterCount() == 0) {
          return System.identityHashCode(proxy);
        }
        return QueryTracing.invoke(delegate, method, args);
      case "toString":
        return "Traced" + delegate;
      default:
        return QueryTracing.invoke(delegate, method, args);
    }
  }
}
