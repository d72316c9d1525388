package dev.radiograph.config;

/**
 * A setting has a value that cannot be used. The message names the setting, the bad value and
 * where it came from, so that it can be fixed without reading Radiograph's source.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final SettingKey key;

  public InvalidSettingException(SettingKey key, String value, String source, String problem) {
    super("Invalid Radiograph setting " + key.key() + "='" + value + "' (from " + source + "): "
        + problem);
    this.key = key;
  }

  /** The setting that is wrong. */
  public SettingKey key() {
    return key;
  }
}
