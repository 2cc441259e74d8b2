/**
 * Weft's runtime. Exports the API ({@code dev.weft}) and the frame-stack contract that rewritten
 * classes call ({@code dev.weft.frame}); the scheduler ({@code dev.weft.core}) stays inside.
 */
module dev.weft {
  requires java.management; // the deadlock monitor reads blocked carriers' thread states

  exports dev.weft;
  exports dev.weft.frame;
  exports dev.weft.io;
  exports dev.weft.net;
}
