package dev.radiograph.spring;

import dev.radiograph.Entity;
import dev.radiograph.Recorder;
import java.util.concurrent.Callable;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.async.CallableProcessingInterceptor;

/**
 * Carries the request's segment to the thread that runs a controller's {@code Callable}, so that
 * {@code Radiograph.currentSegment()}, SQL and HTTP calls there belong to the request. (The
 * segment itself ends when the async request completes: the filter sees to that.)
 */
final class CallableContextInterceptor implements CallableProcessingInterceptor {
  private static final String ENTITY = CallableContextInterceptor.class.getName() + ".entity";

  private final Recorder recorder;

  CallableContextInterceptor(Recorder recorder) {
    this.recorder = recorder;
  }

  @Override
  public <T> void beforeConcurrentHandling(NativeWebRequest request, Callable<T> task) {
    Entity current = recorder.currentEntity();
    if (current != null) {
      request.setAttribute(ENTITY, current, RequestAttributes.SCOPE_REQUEST);
    }
  }

  @Override
  public <T> void preProcess(NativeWebRequest request, Callable<T> task) {
    Object entity = request.getAttribute(ENTITY, RequestAttributes.SCOPE_REQUEST);
    if (entity instanceof Entity) {
      recorder.setCurrentEntity((Entity) entity);
    }
  }

  @Override
  public <T> void postProcess(NativeWebRequest request, Callable<T> task, Object concurrentResult) {
    if (request.getAttribute(ENTITY, RequestAttributes.SCOPE_REQUEST) != null) {
      recorder.setCurrentEntity(null); // a pooled thread keeps nothing of the request
    }
  }
}
