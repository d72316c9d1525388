package dev.radiograph.javalin;

import io.javalin.http.servlet.JavalinServlet;
import io.javalin.http.servlet.JavalinServletContext;
import io.javalin.http.servlet.SubmitOrder;
import io.javalin.http.servlet.Task;
import io.javalin.http.servlet.TaskHandler;
import io.javalin.http.servlet.TaskInitializer;
import java.util.Deque;
import kotlin.Unit;
import kotlin.jvm.functions.Function2;

/**
 * The last step of Javalin's request lifecycle: binds the Javalin context to the traced request
 * (for the route template) and wraps each queued handler task so that it runs with the segment
 * current and its exception is noted.
 *
 * <p>RATIONALE: wrapping the request's tasks, rather than the handlers through
 * {@code config.router.handlerWrapper}, leaves that single slot to the application, and it also
 * covers the handlers that Javalin runs on the thread completing a {@code ctx.future()}.
 */
final class TaskTracing implements TaskInitializer<JavalinServletContext> {
  @Override
  public void createTasks(Function2<? super SubmitOrder, ? super Task, Unit> submitTask,
      JavalinServlet servlet, JavalinServletContext ctx, String requestUri) {
    TracedRequest traced = TracedRequest.of(ctx);
    // An unsampled request records nothing, so it pays for nothing here.
    if (traced == null || !traced.segment().isRecording()) {
      return;
    }
    traced.bind(ctx);
    Deque<Task> tasks = ctx.getTasks();
    Task[] wrapped = new Task[tasks.size()];
    int i = 0;
    for (Task task : tasks) {
      TaskHandler<Unit> handler = task.getHandler();
      wrapped[i++] = new Task(task.getSkipOnExceptionAndRedirect(), () -> traced.runTask(handler));
    }
    tasks.clear();
    for (Task task : wrapped) {
      tasks.add(task);
    }
  }
}
