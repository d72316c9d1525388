package dev.radiograph.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CgroupContainerIdTest {
  static final String ID = "79311de543c2b01bdbb7ccaf355e71a02b0726366a1427ecfceb5e1f5be81644";

  @Test
  void cgroupV1Docker() {
    assertThat(CgroupContainerId.find("12:rdma:/\n11:memory:/docker/" + ID + "\n0::/system.slice/containerd.service\n"))
        .isEqualTo(ID);
  }

  @Test
  void cgroupV1Kubernetes() {
    assertThat(CgroupContainerId.find("12:pids:/kubepods/besteffort/pod8f7c3b2a-1d4e-4f6a-9b8c-7d6e5f4a3b2c/" + ID))
        .isEqualTo(ID);
  }

  @Test
  void cgroupV2Scopes() {
    assertThat(CgroupContainerId.find("0::/system.slice/docker-" + ID + ".scope")).isEqualTo(ID);
    assertThat(CgroupContainerId.find("0::/kubepods.slice/kubepods-besteffort.slice/"
        + "kubepods-besteffort-pod8f7c3b2a_1d4e_4f6a_9b8c_7d6e5f4a3b2c.slice/cri-containerd-" + ID + ".scope"))
        .isEqualTo(ID);
    assertThat(CgroupContainerId.find("0::/kubepods/burstable/pod8f7c3b2a/crio-" + ID.toUpperCase() + ".scope"))
        .isEqualTo(ID);
  }

  @Test
  void noIdNoMatch() {
    assertThat(CgroupContainerId.find("0::/\n")).isNull();
    assertThat(CgroupContainerId.find("")).isNull();
    assertThat(CgroupContainerId.find("12:rdma:/\n0::/system.slice/containerd.service")).isNull();
    // 65 hex digits are not an id, and neither is a shorter run.
    assertThat(CgroupContainerId.find("0::/docker/" + ID + "a")).isNull();
    assertThat(CgroupContainerId.find("0::/docker/" + ID.substring(1))).isNull();
  }
}
