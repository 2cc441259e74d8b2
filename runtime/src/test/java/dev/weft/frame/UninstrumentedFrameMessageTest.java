package dev.weft.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.shapes.Pause;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The error's text when the stack does not show where the armed bit was lost: it must say so
 * plainly, list the path, and mark nothing rather than promise marks it cannot place. The frames
 * are built by hand (every one rewritten, every call direct and static), a path no real
 * suspension refused by the shape tests produces.
 */
@Timeout(60)
class UninstrumentedFrameMessageTest {

  private static PathFrame frame(Class<?> type, String method, String descriptor, int line) {
    return new PathFrame(
        type,
        method,
        descriptor,
        new StackTraceElement(type.getName(), method, type.getSimpleName() + ".java", line));
  }

  @Test
  void aPathWhereEveryFrameWasRewrittenSaysItCannotTell() {
    List<PathFrame> path =
        List.of(frame(Pause.class, "here", "()V", 31), frame(Pause.class, "sleep", "()V", 40));
    assertTrue(path.get(0).isInstrumented(), "Pause.here should have been rewritten");

    PathBreak found = PathBreak.find(path, new SuspendableDeclarations(java.util.Collections.singleton(null)));
    String message = UninstrumentedFrameMessage.write(found, path);

    assertEquals(PathBreak.Cause.UNKNOWN, found.cause);
    assertTrue(message.contains("does not show"), message);
    assertTrue(message.contains("dev.weft.shapes.Pause.here(Pause.java:31)"), message);
    assertFalse(message.contains("!!"), message);
  }
}
