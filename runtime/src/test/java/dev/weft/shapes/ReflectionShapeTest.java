package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.SuspendableCallable;
import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reflection and dynamic proxies put frames the agent never rewrites between two instrumented
 * ones. A suspension below them either works with each of them run exactly once, or fails with the
 * uninstrumented-frame error naming one of them: it never replays them on resume.
 */
@Timeout(60)
class ReflectionShapeTest extends ShapeTest {
  static final AtomicInteger runs = new AtomicInteger();

  public interface Api {
    @Suspendable
    int work(int x);
  }

  /** A handler that does the work itself, suspending in the middle. */
  static final class SuspendingHandler implements InvocationHandler {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) {
      calls.incrementAndGet();
      int x = (Integer) args[0];
      Weft.gosched();
      return x + 1;
    }
  }

  @Suspendable
  static int callApi(Api api) {
    long wide = 1L << 33;
    int got = api.work(40);
    return got + (int) (wide >> 33);
  }

  private static void assertOnceOrFailsNaming(
      SuspendableCallable<Integer> body, AtomicInteger calls, String frame) {
    try {
      assertEquals(42, Fibers.call(body));
    } catch (UninstrumentedFrameError e) {
      assertTrue(
          e.getMessage().contains(frame),
          () -> "the message should name " + frame + ": " + e.getMessage());
    }
    assertEquals(1, calls.get(), "ran more than once for one call");
  }

  @Test
  void aProxyWhoseHandlerSuspendsRunsItOnce() {
    SuspendingHandler h = new SuspendingHandler();
    Api api = (Api) Proxy.newProxyInstance(Api.class.getClassLoader(), new Class<?>[] {Api.class}, h);
    assertOnceOrFailsNaming(() -> callApi(api), h.calls, SuspendingHandler.class.getName() + ".invoke");
  }

  @Test
  void aProxyWhoseHandlerIsALambdaRunsItOnce() {
    AtomicInteger calls = new AtomicInteger();
    InvocationHandler h =
        (proxy, method, args) -> {
          calls.incrementAndGet();
          return Pause.i((Integer) args[0] + 1);
        };
    Api api = (Api) Proxy.newProxyInstance(Api.class.getClassLoader(), new Class<?>[] {Api.class}, h);
    assertOnceOrFailsNaming(() -> callApi(api), calls, "ReflectionShapeTest.lambda$");
  }

  public static final class Real implements Api {
    @Override
    @Suspendable
    public int work(int x) {
      runs.incrementAndGet();
      Pause.here();
      return x + 1;
    }

    @Suspendable
    public static int twice(int x) {
      runs.incrementAndGet();
      Pause.here();
      return 2 * x;
    }
  }

  @Suspendable
  static int invokeReflectively(Method m, Object target, int arg) throws Exception {
    int local = 1;
    return (Integer) m.invoke(target, arg) + local;
  }

  @Test
  void methodInvokeOfAnInstanceMethodRunsItOnce() throws Exception {
    runs.set(0);
    Method m = Real.class.getMethod("work", int.class);
    Real real = new Real();
    assertOnceOrFailsNaming(
        () -> {
          try {
            return invokeReflectively(m, real, 40);
          } catch (InvocationTargetException e) {
            throw (Error) e.getCause();
          }
        },
        runs,
        "java.lang.reflect.Method.invoke");
  }

  @Test
  void methodInvokeOfAStaticMethodRunsItOnce() throws Exception {
    runs.set(0);
    Method m = Real.class.getMethod("twice", int.class);
    assertOnceOrFailsNaming(
        () -> {
          try {
            return invokeReflectively(m, null, 20) + 1;
          } catch (InvocationTargetException e) {
            throw (Error) e.getCause();
          }
        },
        runs,
        "java.lang.reflect.Method.invoke");
  }
}
