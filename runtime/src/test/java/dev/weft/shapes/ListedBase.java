package dev.weft.shapes;

/**
 * An abstract class whose method is named in {@code META-INF/weft/suspendables} rather than
 * annotated: every override of it must then be instrumented.
 */
abstract class ListedBase {
  abstract String step(String s);

  /** Calls the listed method, so this caller must treat it as suspendable too. */
  String stepTwice(String s) {
    return step(step(s));
  }
}
