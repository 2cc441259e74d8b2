package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link Proxy} whose handler runs the interface's own suspendable default method on the proxy
 * ({@link InvocationHandler#invokeDefault}), in the default mode. The rewritten default method's
 * receiver is the very object its caller armed the call for, so comparing the two cannot see the
 * proxy class and the handler in between; the handler must still never run twice for one call.
 */
@Timeout(60)
class ProxyDefaultMethodShapeTest extends ShapeTest {

  /** Public: {@code invokeDefault} needs the proxy class to be one the JDK defines itself. */
  public interface Api {
    @Suspendable
    default int work(int x) {
      Weft.gosched();
      return x + 1;
    }
  }

  /** Runs the default method for every call, counting the calls. */
  static final class Counting implements InvocationHandler {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      calls.incrementAndGet();
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
  }

  @Suspendable
  static int call(Api api) {
    int local = 1;
    return api.work(40 + local);
  }

  private static Api proxy(InvocationHandler h) {
    return (Api) Proxy.newProxyInstance(Api.class.getClassLoader(), new Class<?>[] {Api.class}, h);
  }

  @Test
  void theHandlerRunsOnceThroughInvokeDefault() {
    Counting handler = new Counting();
    Api api = proxy(handler);
    try {
      assertEquals(42, Fibers.call(() -> call(api)));
    } catch (UninstrumentedFrameError e) {
      assertTrue(
          e.getMessage().contains("java.lang.reflect.Proxy")
              && e.getMessage().contains("!! " + Counting.class.getName() + ".invoke"),
          () -> "the message should name the proxy and its handler: " + e.getMessage());
    }
    assertEquals(1, handler.calls.get(), "the handler ran again on resume");
  }

  @Test
  void theSameDefaultMethodCalledDirectlyStillSuspends() {
    Api direct = new Api() {};
    assertEquals(42, Fibers.call(() -> call(direct)));
  }

  @Test
  void theFiberKeepsWorkingAfterTheProxy() {
    Api api = proxy(new Counting());
    int got =
        Fibers.call(
            () -> {
              try {
                call(api);
              } catch (UninstrumentedFrameError expected) {
                // refused before anything was saved
              }
              Pause.here();
              return call(new Api() {});
            });
    assertEquals(42, got);
  }
}
