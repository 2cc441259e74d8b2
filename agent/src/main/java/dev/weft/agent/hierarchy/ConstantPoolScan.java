package dev.weft.agent.hierarchy;

import dev.weft.agent.core.FrameContract;
import java.nio.charset.StandardCharsets;
import org.objectweb.asm.ClassReader;

/**
 * The cheap scan that rejects almost every class without parsing it: a look through the constant
 * pool's strings for the {@code @Suspendable} descriptor and for the lambda factory. Classes with
 * neither can still need rewriting only by overriding a suspendable method, which the transformer
 * checks from the class header alone.
 */
public final class ConstantPoolScan {
  static final int ANNOTATED = 1;
  static final int LAMBDAS = 2;
  /** Some member carries an annotation: worth a look when {@code @} lines name annotations. */
  public static final int ANY_ANNOTATION = 4;
  /** The class carries the agent's mark: it was written by the agent before, ahead of time. */
  public static final int REWRITTEN = 8;

  private static final byte[] SUSPENDABLE = ClassInfo.SUSPENDABLE_DESC.getBytes(StandardCharsets.UTF_8);
  private static final byte[] REWRITTEN_MARK =
      FrameContract.REWRITTEN_DESC.getBytes(StandardCharsets.UTF_8);
  private static final byte[] LAMBDA_FACTORY =
      "java/lang/invoke/LambdaMetafactory".getBytes(StandardCharsets.UTF_8);
  private static final byte[] VISIBLE_ANNOTATIONS =
      "RuntimeVisibleAnnotations".getBytes(StandardCharsets.UTF_8);
  private static final byte[] INVISIBLE_ANNOTATIONS =
      "RuntimeInvisibleAnnotations".getBytes(StandardCharsets.UTF_8);
  private static final int UTF8_TAG = 1;

  private ConstantPoolScan() {}

  /** A bit set of {@link #ANNOTATED}, {@link #LAMBDAS}, {@link #ANY_ANNOTATION} and {@link #REWRITTEN}. */
  public static int scan(ClassReader reader, byte[] bytes) {
    int found = 0;
    int count = reader.getItemCount();
    for (int i = 1; i < count; i++) {
      int offset = reader.getItem(i);
      if (offset <= 0 || bytes[offset - 1] != UTF8_TAG) {
        continue;
      }
      int length = ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
      if (equals(bytes, offset + 2, length, SUSPENDABLE)) {
        found |= ANNOTATED;
      } else if (equals(bytes, offset + 2, length, REWRITTEN_MARK)) {
        found |= REWRITTEN;
      } else if (equals(bytes, offset + 2, length, LAMBDA_FACTORY)) {
        found |= LAMBDAS;
      } else if (equals(bytes, offset + 2, length, VISIBLE_ANNOTATIONS)
          || equals(bytes, offset + 2, length, INVISIBLE_ANNOTATIONS)) {
        found |= ANY_ANNOTATION;
      }
    }
    return found;
  }

  private static boolean equals(byte[] bytes, int start, int length, byte[] wanted) {
    if (length != wanted.length) {
      return false;
    }
    for (int k = 0; k < length; k++) {
      if (bytes[start + k] != wanted[k]) {
        return false;
      }
    }
    return true;
  }
}
