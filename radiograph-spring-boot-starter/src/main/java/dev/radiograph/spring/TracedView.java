package dev.radiograph.spring;

import dev.radiograph.CallSites;
import dev.radiograph.Recorder;
import dev.radiograph.Subsegment;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import org.springframework.web.servlet.SmartView;
import org.springframework.web.servlet.View;

/**
 * A Spring MVC {@link View} whose rendering is a subsegment named after the view (the template's
 * name for Thymeleaf, FreeMarker, Mustache...), the {@code AUTO_INSTRUMENT} template rendering of
 * the Django integration. Rendering outside a traced request is not traced.
 */
final class TracedView implements SmartView {
  // Context-missing logs name the application's class, not this integration's.
  static {
    CallSites.registerPassThrough(TracedView.class);
  }

  private final View delegate;
  private final String name;
  private final Recorder recorder;

  private TracedView(View delegate, String name, Recorder recorder) {
    this.delegate = delegate;
    this.name = name;
    this.recorder = recorder;
  }

  /** {@code view}, traced; a redirect (nothing rendered) or an already traced view as it is. */
  static View wrap(View view, String viewName, Recorder recorder) {
    if (view == null || view instanceof TracedView
        || (view instanceof SmartView && ((SmartView) view).isRedirectView())) {
      return view;
    }
    return new TracedView(view, viewName != null && !viewName.isEmpty() ? viewName : view.getClass().getSimpleName(),
        recorder);
  }

  @Override
  public String getContentType() {
    return delegate.getContentType();
  }

  @Override
  public boolean isRedirectView() {
    return false;
  }

  @Override
  public void render(Map<String, ?> model, HttpServletRequest request, HttpServletResponse response) throws Exception {
    Subsegment subsegment = begin();
    if (subsegment == null) {
      delegate.render(model, request, response);
      return;
    }
    try {
      delegate.render(model, request, response);
    } catch (Exception | Error e) {
      subsegment.addException(e);
      throw e;
    } finally {
      subsegment.close();
    }
  }

  private Subsegment begin() {
    try {
      if (recorder.currentEntity() == null || !recorder.currentEntity().isRecording()) {
        return null;
      }
      Subsegment subsegment = recorder.beginSubsegment(name);
      subsegment.putMetadata("template", "view", delegate.getClass().getName());
      return subsegment;
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "Traced" + delegate;
  }
}
