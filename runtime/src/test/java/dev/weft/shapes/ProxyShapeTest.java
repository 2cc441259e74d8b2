package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Suspendable;
import dev.weft.Weft;
import dev.weft.frame.UninstrumentedFrameError;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A suspension below a frame the agent did not rewrite, which the armed bit alone cannot see: a
 * {@link Proxy} of a suspendable interface, whose handler forwards the call with {@code
 * Method.invoke}. The handler must never run twice for one call (it would be replayed on resume):
 * the suspension either works with the handler run once, or fails with the uninstrumented-frame
 * error before anything is committed.
 */
@Timeout(60)
class ProxyShapeTest extends ShapeTest {

  /** Public: its proxies are defined in a dynamic module of their own. */
  public interface PublicApi {
    @Suspendable
    int work(int x);
  }

  /** Package-private: its proxies are defined in this package, by this class loader. */
  interface PackageApi {
    @Suspendable
    int work(int x);
  }

  static final class Real implements PublicApi, PackageApi {
    final AtomicInteger entered = new AtomicInteger();

    @Override
    @Suspendable
    public int work(int x) {
      entered.incrementAndGet();
      Weft.gosched();
      return x + 1;
    }
  }

  /** Forwards every call to {@code target}, counting them. */
  static final class Counting implements InvocationHandler {
    final Object target;
    final AtomicInteger calls = new AtomicInteger();

    Counting(Object target) {
      this.target = target;
    }

    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args)
        throws Throwable {
      calls.incrementAndGet();
      try {
        return method.invoke(target, args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> api, InvocationHandler h) {
    return (T) Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, h);
  }

  @Suspendable
  static int callPublic(PublicApi api) {
    int local = 1;
    return api.work(41) + local - 1;
  }

  @Suspendable
  static int callPackage(PackageApi api) {
    int local = 1;
    return api.work(41) + local - 1;
  }

  /** Runs {@code body}; either it returns 42, or it fails with the error naming the handler. */
  private static void assertRunsOnceOrFailsClearly(
      dev.weft.SuspendableCallable<Integer> body, Counting handler, Real real) {
    try {
      assertEquals(42, Fibers.call(body));
    } catch (UninstrumentedFrameError e) {
      assertTrue(
          e.getMessage().contains(Counting.class.getName() + ".invoke"),
          () -> "the message should name the handler: " + e.getMessage());
    }
    assertEquals(1, handler.calls.get(), "the handler ran more than once for one call");
    assertEquals(1, real.entered.get(), "the target ran more than once for one call");
  }

  @Test
  void aProxyOfAPublicSuspendableInterfaceIsNeverReplayed() {
    Real real = new Real();
    Counting handler = new Counting(real);
    PublicApi api = proxy(PublicApi.class, handler);
    assertRunsOnceOrFailsClearly(() -> callPublic(api), handler, real);
  }

  @Test
  void aProxyOfAPackagePrivateSuspendableInterfaceIsNeverReplayed() {
    Real real = new Real();
    Counting handler = new Counting(real);
    PackageApi api = proxy(PackageApi.class, handler);
    assertRunsOnceOrFailsClearly(() -> callPackage(api), handler, real);
  }

  @Test
  void theFiberKeepsWorkingAfterTheError() {
    Real real = new Real();
    PublicApi api = proxy(PublicApi.class, new Counting(real));
    int got =
        Fibers.call(
            () -> {
              try {
                callPublic(api);
              } catch (UninstrumentedFrameError expected) {
                // the suspension was refused before anything was committed
              }
              Pause.here();
              return real.work(1);
            });
    assertEquals(2, got);
  }
}
