package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sizes of the objects a parked fiber and an idle connection are made of, from their fields:
 * the model of a 64-bit JVM with compressed references (12-byte header, 4-byte references, 8-byte
 * alignment, fields packed without gaps, which HotSpot's layout achieves for these classes). A
 * field added to one of them shows here, with the size it costs a million parked fibers.
 */
@Timeout(30)
class ObjectLayoutTest {
  static long instanceBytes(Class<?> c) {
    long bytes = 12;
    for (Class<?> k = c; k != null; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (!Modifier.isStatic(f.getModifiers())) {
          bytes += fieldBytes(f.getType());
        }
      }
    }
    return (bytes + 7) & ~7L;
  }

  private static int fieldBytes(Class<?> t) {
    if (t == long.class || t == double.class) {
      return 8;
    }
    if (t == int.class || t == float.class || !t.isPrimitive()) {
      return 4;
    }
    return t == short.class || t == char.class ? 2 : 1;
  }

  @Test
  void aParkedPipelineStageIsMadeOfObjectsThisSmall() throws Exception {
    assertEquals(64, instanceBytes(Class.forName("dev.weft.core.Fiber")), "Fiber");
    assertEquals(40, instanceBytes(Channel.class), "unbuffered Channel");
    assertEquals(32, instanceBytes(Waiter.class), "Waiter");
    assertEquals(48, instanceBytes(SelectWaiter.class), "SelectWaiter");
  }

  @Test
  void anIdleConnectionIsMadeOfObjectsThisSmall() throws Exception {
    assertEquals(32, instanceBytes(Mutex.class), "Mutex");
    assertEquals(56, instanceBytes(Class.forName("dev.weft.core.PollDesc")), "PollDesc");
    assertEquals(24, instanceBytes(Class.forName("dev.weft.core.NetWait")), "NetWait");
    assertEquals(40, instanceBytes(dev.weft.net.Conn.class), "Conn");
  }
}
