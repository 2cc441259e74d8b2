package dev.weft.shapes;

/**
 * An interface whose method is named in {@code META-INF/weft/suspendables} rather than annotated:
 * every implementation of it must then be instrumented.
 */
interface ListedApi {
  int act(int x);
}
