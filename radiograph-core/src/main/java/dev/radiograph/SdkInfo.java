package dev.radiograph;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** The SDK's name and version, for the {@code aws.xray} block that X-Ray shows per segment. */
final class SdkInfo {
  static final String NAME = "Radiograph for Java";
  static final String VERSION = readVersion();
  static final byte[] XRAY_BLOCK =
      ("{\"sdk\":\"" + NAME + "\",\"sdk_version\":\"" + VERSION + "\"}").getBytes(StandardCharsets.UTF_8);

  private SdkInfo() {}

  private static String readVersion() {
    try (InputStream in = SdkInfo.class.getResourceAsStream("radiograph-version.properties")) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version");
        if (v != null && !v.startsWith("${") && v.matches("[A-Za-z0-9._-]+")) {
          return v;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Fall through: a missing version is not worth failing for.
    }
    return "unknown";
  }
}
