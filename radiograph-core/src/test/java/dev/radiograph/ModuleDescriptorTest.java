package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The compiled module descriptor: what the module path lets applications read. */
class ModuleDescriptorTest {
  private static ModuleDescriptor descriptor() throws Exception {
    Path classes = Path.of(Recorder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    ModuleReference module = ModuleFinder.of(classes).findAll().iterator().next();
    return module.descriptor();
  }

  @Test
  void exportsTheApiPackagesOnly() throws Exception {
    ModuleDescriptor descriptor = descriptor();
    assertThat(descriptor.name()).isEqualTo("dev.radiograph");
    Set<String> exported = descriptor.exports().stream()
        .filter(e -> !e.isQualified())
        .map(ModuleDescriptor.Exports::source)
        .collect(Collectors.toSet());
    assertThat(exported).containsExactlyInAnyOrder("dev.radiograph", "dev.radiograph.aws",
        "dev.radiograph.config", "dev.radiograph.context", "dev.radiograph.emit", "dev.radiograph.http",
        "dev.radiograph.net", "dev.radiograph.plugins", "dev.radiograph.sampling", "dev.radiograph.sql");
    assertThat(descriptor.packages()).contains("dev.radiograph.internal", "dev.radiograph.sampling.wire");
    assertThat(descriptor.uses()).contains(EntityListener.class.getName(),
        dev.radiograph.context.SegmentContextProvider.class.getName());
    assertThat(descriptor.requires().stream().map(ModuleDescriptor.Requires::name))
        .containsExactlyInAnyOrder("java.base", "java.net.http");
  }
}
