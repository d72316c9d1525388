package dev.radiograph.spring;

import com.amazonaws.xray.AWSXRayRecorder;
import com.amazonaws.xray.AWSXRayRecorderBuilder;
import com.amazonaws.xray.config.DaemonConfiguration;
import com.amazonaws.xray.emitters.Emitter;
import com.amazonaws.xray.entities.Subsegment;
import com.amazonaws.xray.entities.TraceHeader;
import com.amazonaws.xray.jakarta.servlet.AWSXRayServletFilter;
import com.amazonaws.xray.strategy.IgnoreErrorContextMissingStrategy;
import com.amazonaws.xray.strategy.jakarta.SegmentNamingStrategy;
import com.amazonaws.xray.strategy.sampling.AllSamplingStrategy;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/**
 * A service traced by the official AWS X-Ray SDK for Java ({@code aws-xray-recorder-sdk-core}):
 * its Jakarta servlet filter in a plain Tomcat on a random port, sending to the test's daemon.
 * {@code /hello} answers; {@code /call?url=...} calls {@code url} from a subsegment, with the
 * official SDK's trace header.
 */
final class OfficialSdkService implements AutoCloseable {
  private final Tomcat tomcat;
  private final String base;

  OfficialSdkService(String name, String daemonAddress) throws IOException, LifecycleException {
    DaemonConfiguration daemon = new DaemonConfiguration();
    if (!daemon.setUDPAndTCPAddress(daemonAddress)) {
      throw new IllegalArgumentException(daemonAddress);
    }
    AWSXRayRecorder recorder = AWSXRayRecorderBuilder.standard()
        .withSamplingStrategy(new AllSamplingStrategy())
        .withEmitter(Emitter.create(daemon))
        .withContextMissingStrategy(new IgnoreErrorContextMissingStrategy())
        .build();
    tomcat = new Tomcat();
    tomcat.setBaseDir(Files.createTempDirectory("official-sdk-tomcat").toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.setConnector(connector);
    Context context = tomcat.addContext("", null);
    Tomcat.addServlet(context, "app", new App(recorder)).addMapping("/*");
    FilterDef filter = new FilterDef();
    filter.setFilterName("xray");
    filter.setFilter(new AWSXRayServletFilter(SegmentNamingStrategy.fixed(name), recorder));
    context.addFilterDef(filter);
    FilterMap mapping = new FilterMap();
    mapping.setFilterName("xray");
    mapping.addURLPattern("/*");
    context.addFilterMap(mapping);
    tomcat.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
  }

  String base() {
    return base;
  }

  @Override
  public void close() throws LifecycleException {
    tomcat.stop();
    tomcat.destroy();
  }

  private static final class App extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final transient AWSXRayRecorder recorder;

    App(AWSXRayRecorder recorder) {
      this.recorder = recorder;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
      if (request.getRequestURI().equals("/call")) {
        Subsegment call = recorder.beginSubsegment("downstream");
        call.setNamespace("remote");
        try {
          TraceHeader header = new TraceHeader(call.getParentSegment().getTraceId(), call.getId(),
              TraceHeader.SampleDecision.SAMPLED);
          HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(request.getParameter("url")))
              .header(TraceHeader.HEADER_KEY, header.toString()).build(), HttpResponse.BodyHandlers.ofString());
          response.getWriter().write(answer.statusCode() + " " + call.getId());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException(e);
        } finally {
          recorder.endSubsegment();
        }
      } else {
        response.getWriter().write("hello from the official SDK");
      }
    }
  }
}
