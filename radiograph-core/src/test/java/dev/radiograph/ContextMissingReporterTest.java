package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContextMissingReporterTest {
  @Test
  void namesTheCallerNotTheClassesItPassedThrough() {
    assertThat(ContextMissingReporter.callSite()).isEqualTo(ContextMissingReporterTest.class.getName());
    assertThat(new Integration().callSite()).isEqualTo(Integration.class.getName());
    CallSites.registerPassThrough(Integration.class);
    assertThat(new Integration().callSite()).isEqualTo(ContextMissingReporterTest.class.getName());
    assertThat(new Integration().viaLambda()).isEqualTo(ContextMissingReporterTest.class.getName());
  }

  @Test
  void coreAndProxyFramesAreAlwaysPassedThrough() {
    assertThat(CallSites.isPassThrough(Recorder.class.getName())).isTrue();
    assertThat(CallSites.isPassThrough(dev.radiograph.sql.SqlTracing.class.getName() + "$Call")).isTrue();
    assertThat(CallSites.isPassThrough("jdk.proxy2.$Proxy12")).isTrue();
    assertThat(CallSites.isPassThrough(ContextMissingReporterTest.class.getName())).isFalse();
    assertThat(CallSites.isPassThrough("com.example.framework.Chain")).isFalse();
    CallSites.registerPassThroughPackage("com.example.framework.");
    assertThat(CallSites.isPassThrough("com.example.framework.Chain")).isTrue();
    assertThat(CallSites.isPassThrough("com.example.app.Service")).isFalse();
  }

  /** Stands for an integration's class between the application and the recorder. */
  private static final class Integration {
    String callSite() {
      return ContextMissingReporter.callSite();
    }

    String viaLambda() {
      java.util.function.Supplier<String> walk = ContextMissingReporter::callSite;
      return walk.get();
    }
  }
}
