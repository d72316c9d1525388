package dev.radiograph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XRayHeaderCodecTest {
  private static final String CANONICAL =
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

  @Test
  void aCanonicalHeaderIsWrittenBackAsTheSameText() {
    assertThat(TraceHeader.parse(CANONICAL).toString()).isSameAs(CANONICAL);
    String withLineage = CANONICAL + ";Lineage=a87bd80c:1|68fd508a:5";
    assertThat(TraceHeader.parse(withLineage).toString()).isSameAs(withLineage);
    String rootOnly = "Root=1-5759e988-bd862e3fe1be46a994272793";
    assertThat(TraceHeader.parse(rootOnly).toString()).isSameAs(rootOnly);
  }

  @Test
  void anythingElseIsRewrittenCanonically() {
    String[] variants = {
      "Root=1-5759E988-BD862E3FE1BE46A994272793;Parent=53995C3F42CD8AD8;Sampled=1",
      "root=1-5759e988-bd862e3fe1be46a994272793;parent=53995c3f42cd8ad8;sampled=1",
      "Sampled=1;Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
      "Parent=53995c3f42cd8ad8;Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1",
      " Root=1-5759e988-bd862e3fe1be46a994272793; Parent=53995c3f42cd8ad8;Sampled=1",
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;",
      "Root=1-5759e988-bd862e3fe1be46a994272793;;Parent=53995c3f42cd8ad8;Sampled=1",
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Root=x",
    };
    for (String variant : variants) {
      String written = TraceHeader.parse(variant).toString();
      assertThat(written).as(variant).isEqualTo(CANONICAL);
    }
    // Same length as the canonical text, different content: never taken for it.
    String swapped = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1;Parent=53995c3f42cd8ad8";
    assertThat(TraceHeader.parse(swapped).toString()).isEqualTo(CANONICAL);
    String rootCase = "ROOT=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    assertThat(TraceHeader.parse(rootCase).toString()).isEqualTo(CANONICAL);
  }

  @Test
  void additionalKeysAreWrittenAfterTheKnownParts() {
    String header = "Self=1-67891233-12456789abcdef012345678;Root=1-5759e988-bd862e3fe1be46a994272793";
    assertThat(TraceHeader.parse(header).toString())
        .isEqualTo("Root=1-5759e988-bd862e3fe1be46a994272793;Self=1-67891233-12456789abcdef012345678");
  }

  @Test
  void traceparentIsWrittenFromTheTraceIdsOwnW3cForm() {
    TraceHeader header = TraceHeader.parse(CANONICAL);
    assertThat(header.toTraceparent()).isEqualTo("00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01");
    assertThat(TraceHeader.fromTraceparent(header.toTraceparent()).root()).isEqualTo(header.root());
  }
}
