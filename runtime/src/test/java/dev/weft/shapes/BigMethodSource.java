package dev.weft.shapes;

/**
 * Writes the Java source of a {@code SuspendableCallable} whose {@code call()} is one big method of
 * {@code blocks} blocks, each suspending at one to four call sites in a rotation of shapes, then
 * checking every value against what this generator computed. One block parks while a dump is
 * taken, one suspends below a plain frame; the result says whether both named the right line.
 */
final class BigMethodSource {
  private final String name;
  private final int blocks;
  private final StringBuilder text = new StringBuilder();
  private int line = 1;
  private int i;
  private long j;
  private double d;

  BigMethodSource(String name, int blocks) {
    this.name = name;
    this.blocks = blocks;
  }

  String expectedResult() {
    text();
    return "i=" + i + " j=" + j + " d=" + d + " dump ok error ok";
  }

  String text() {
    if (text.length() > 0) {
      return text.toString();
    }
    emit("package " + ShapeCompiler.PACKAGE + ";");
    emit("import dev.weft.Suspendable;");
    emit("import dev.weft.SuspendableCallable;");
    emit("import dev.weft.shapes.BigMethodCheck;");
    emit("import dev.weft.shapes.Pause;");
    emit("public class " + name + " implements SuspendableCallable<Object> {");
    emit("  static int len2(String a, String b) { return a.length() + b.length(); }");
    emit("  @Suspendable public Object call() {");
    emit("    boolean z = true; byte b = -7; char c = '\\u20ac'; short s = -30000;");
    emit("    float f = Float.intBitsToFloat(0x7fc0_1234); String r = \"ref\"; int[] arr = {1, 2, 3};");
    emit("    Object nul = null; int i = 0; long j = 0; double d = 0;");
    emit("    String dump = \"dump not taken\"; String error = \"error not raised\";");
    int dumpAt = blocks * 3 / 4;
    int errorAt = blocks / 2;
    for (int k = 0; k < blocks; k++) {
      switch (k % 6) {
        case 0:
          emit("    i = i + Pause.i(" + k + ");");
          i += k;
          break;
        case 1:
          emit("    j = j + Pause.j(" + k + " * 1000003L);");
          j += k * 1000003L;
          break;
        case 2:
          emit("    d = d + Pause.d(" + k + " * 0.5);");
          d += k * 0.5;
          break;
        case 3:
          emit("    { long t = " + k + " * 3L; double u = " + k + "; Pause.here(); i += (int) t + (int) u; }");
          i += 4 * k;
          break;
        case 4:
          emit("    i = i + len2(r, Pause.ref(r)) + Pause.c(c) - c;");
          i += 6;
          emit("    j = j + Pause.ref(arr)[1];");
          j += 2;
          break;
        default:
          emit("    j = j + Pause.b(b) + Pause.s(s) + (Pause.z(z) ? 1 : 0);");
          j += -7 - 30000 + 1;
          emit("    i = i + (Float.floatToRawIntBits(Pause.f(f)) == 0x7fc0_1234 ? 1 : 0);");
          i += 1;
          break;
      }
      if (k == dumpAt) {
        String site = name + ".call(" + name + ".java:" + line + ")";
        emit("    dump = BigMethodCheck.dumpWhileParked();");
        emit("    dump = dump.contains(\"" + site + "\") ? \"dump ok\" : dump;");
      }
      if (k == errorAt) {
        String site = name + ".call(" + name + ".java:" + line + ")";
        emit("    try { BigMethodCheck.plainFrame(); } catch (dev.weft.frame.UninstrumentedFrameError e) {"
            + " error = e.getMessage(); }");
        emit("    error = error.contains(\"!! \") && error.contains(\"BigMethodCheck.plainFrame(\")"
            + " && error.contains(\"" + site + "\") ? \"error ok\" : error;");
      }
      emit("    BigMethodCheck.constants(" + k + ", z, b, c, s, f, r, arr, nul);");
      emit("    BigMethodCheck.accumulators(" + k + ", i, j, d, " + i + ", " + j + "L, " + d + ");");
    }
    emit("    return \"i=\" + i + \" j=\" + j + \" d=\" + d + \" \" + dump + \" \" + error;");
    emit("  }");
    emit("}");
    return text.toString();
  }

  private void emit(String s) {
    text.append(s).append('\n');
    line++;
  }
}
