package dev.weft.modes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * The thorough mode, run with {@code -Dweft.checkPath=true}: a suspension below frames that were
 * not rewritten but that the armed bit cannot see. A {@link Proxy} of a public interface whose
 * handler calls the interface's default method on the proxy itself ({@link
 * InvocationHandler#invokeDefault}) reaches a rewritten method whose receiver is the very object
 * its caller armed the call for, through the proxy class, the handler and reflection, none of them
 * rewritten. Without the walk the suspension goes through and the handler runs again on resume;
 * with it, the suspension is refused before anything is saved, naming the proxy.
 */
@Timeout(60)
class PathCheckModeTest {

  /** Public: its proxies live in a dynamic module of the JDK's, which the agent leaves alone. */
  public interface Api {
    @Suspendable
    default Object work(int x) {
      Weft.gosched();
      return x + 1;
    }
  }

  /** Runs the interface's own default method for every call, counting the calls. */
  static final class Counting implements InvocationHandler {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      calls.incrementAndGet();
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
  }

  @Suspendable
  static Object call(Api api) {
    int local = 1;
    return api.work(40 + local);
  }

  @Test
  void aSuspensionBelowAProxyAndReflectionIsRefusedAndNothingRunsTwice() {
    Counting handler = new Counting();
    Api api = (Api) Proxy.newProxyInstance(Api.class.getClassLoader(), new Class<?>[] {Api.class}, handler);
    UninstrumentedFrameError e =
        assertThrows(UninstrumentedFrameError.class, () -> Weft.call(() -> call(api)));
    assertEquals(1, handler.calls.get(), "the handler ran again on resume");
    assertTrue(e.getMessage().contains("weft.checkPath"), e.getMessage());
    assertTrue(e.getMessage().contains("dynamic proxy"), e.getMessage());
    assertTrue(e.getMessage().contains("!! " + Counting.class.getName() + ".invoke"), e.getMessage());
  }

  @Test
  void theSameCallWithoutTheProxyStillSuspends() {
    Api direct = new Api() {};
    assertEquals(42, Weft.call(() -> call(direct)));
  }

  @Test
  void theFiberKeepsWorkingAfterTheRefusal() {
    Counting handler = new Counting();
    Api api = (Api) Proxy.newProxyInstance(Api.class.getClassLoader(), new Class<?>[] {Api.class}, handler);
    Object got =
        Weft.call(
            () -> {
              try {
                call(api);
              } catch (UninstrumentedFrameError expected) {
                // refused before anything was saved
              }
              return call(new Api() {});
            });
    assertEquals(42, got);
  }
}
