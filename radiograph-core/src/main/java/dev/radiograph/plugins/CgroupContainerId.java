package dev.radiograph.plugins;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The container id in a process's cgroup file ({@code /proc/self/cgroup}): the 64-hex id that
 * Docker, containerd and CRI-O put in the cgroup path.
 *
 * <pre>
 * cgroup v1:  12:pids:/kubepods/besteffort/pod6f1c2d9e-.../3c5f...64 hex...
 * cgroup v2:  0::/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod6f1c2d9e_....slice/cri-containerd-3c5f...64 hex....scope
 * Docker:     0::/system.slice/docker-3c5f...64 hex....scope
 * </pre>
 *
 * RATIONALE: a run of exactly 64 hex digits, not the last 64 characters of a line (what the AWS
 * X-Ray Java SDK takes): that also reads the v2 {@code .scope} form, and a pod UID (36 characters
 * with dashes) can never be mistaken for it. Under cgroup v2 with a private cgroup namespace the
 * file holds only {@code 0::/} and there is no id to find.
 */
final class CgroupContainerId {
  private static final Pattern ID = Pattern.compile("(?<![0-9a-fA-F])[0-9a-fA-F]{64}(?![0-9a-fA-F])");

  private CgroupContainerId() {}

  /** The first line's container id, lowercase; {@code null} when no line has one. */
  static String find(String cgroupFile) {
    for (String line : cgroupFile.split("\\R")) {
      Matcher m = ID.matcher(line);
      String last = null;
      while (m.find()) {
        last = m.group();
      }
      if (last != null) {
        return last.toLowerCase(java.util.Locale.ROOT);
      }
    }
    return null;
  }
}
