package dev.weft.conformance.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Writes one random Java program, driven by {@link Choices}, as a public static nested class that
 * implements {@code SuspendableCallable<Long>}. The program calls {@link SuspendPoint}s in every
 * kind of place the rewrite must handle: under values of every type on the operand stack, in
 * nested try/catch/finally, loops, switches (statements, expressions, strings), recursion,
 * constructors' arguments, instance, static, interface and default methods, lambdas and method
 * references (static, bound, unbound; boxing and unboxing their arguments), synchronized blocks,
 * and methods that are not annotated (all named {@code plain...}), in between suspendable ones.
 *
 * <p>Every method returns a {@code long}; methods are ordered, and a method only calls methods
 * after it (or itself, with a shrinking recursion budget {@code d}), so every program ends.
 * Blocks that would replace an exception in flight ({@code finally}) only compute and record.
 *
 * <pre>{@code
 * String source = ProgramWriter.write("P42", Choices.seeded(42));
 * }</pre>
 */
final class ProgramWriter {
  private enum Kind {
    STATIC,
    PLAIN,
    BOX_METHOD,
    BOX_AREA,
    DISC_AREA,
    SHAPE_TWICE,
    DISC_TWICE,
    STATIC_TARGET,
    BOX_TARGET
  }

  /** A functional interface of the program: {@code @Suspendable long apply(params)}. */
  private static final class Fn {
    final String name;
    final List<JavaType> params = new ArrayList<>();
    /** The first parameter is a Box, so an unbound reference to a Box method fits. */
    boolean unbound;
    Def staticTarget;
    Def boxTarget;

    Fn(String name) {
      this.name = name;
    }
  }

  /** A method of the program. */
  private static final class Def {
    final Kind kind;
    final String name;
    final List<JavaType> params = new ArrayList<>();
    Fn fn;
    boolean returnsInt;
    boolean isPrivate;
    int position;
    String body;

    Def(Kind kind, String name) {
      this.kind = kind;
      this.name = name;
    }

    boolean hasBudget() {
      return kind != Kind.STATIC_TARGET && kind != Kind.BOX_TARGET;
    }
  }

  /** A local variable or parameter in scope. */
  private static final class Var {
    final String name;
    final JavaType type;
    final Fn fn;
    final boolean assignable;
    final boolean capturable;

    Var(String name, JavaType type, Fn fn, boolean assignable, boolean capturable) {
      this.name = name;
      this.type = type;
      this.fn = fn;
      this.assignable = assignable;
      this.capturable = capturable;
    }
  }

  private static final JavaType[] FN_PARAMS = {
    JavaType.INT, JavaType.INTEGER, JavaType.LONG, JavaType.LONG_BOXED, JavaType.DOUBLE,
    JavaType.DOUBLE_BOXED, JavaType.STRING, JavaType.BOOLEAN
  };

  private final Choices c;
  private final String className;
  private final List<Fn> fns = new ArrayList<>();
  private final List<Def> defs = new ArrayList<>();
  private boolean hasShape;
  private int names;
  private int sites;

  // The body being written.
  private StringBuilder out;
  private int indent;
  private Def current;
  private final List<Var> scope = new ArrayList<>();
  private int lambdaFloor;
  private int loops;
  private int breakables;
  private boolean canReturn;
  private boolean returnsInt;
  private boolean inFinally;
  private String budget;
  private String self;

  private ProgramWriter(String className, Choices c) {
    this.className = className;
    this.c = c;
  }

  /** The source of program {@code className}, a nested class of the batch's class. */
  static String write(String className, Choices c) {
    return new ProgramWriter(className, c).write();
  }

  private String write() {
    int fnCount = c.below(3);
    for (int i = 0; i < fnCount; i++) {
      Fn fn = new Fn("Fn" + i);
      fn.unbound = c.maybe(40);
      int arity = 1 + c.below(3);
      for (int k = 0; k < arity; k++) {
        fn.params.add(FN_PARAMS[c.below(FN_PARAMS.length)]);
      }
      if (fn.unbound) {
        fn.params.add(0, JavaType.BOX);
      }
      fns.add(fn);
    }
    int statics = c.below(4);
    for (int i = 0; i < statics; i++) {
      boolean plain = c.maybe(30);
      addDef(plain ? Kind.PLAIN : Kind.STATIC, plain ? "plain" : "s", c.below(4));
    }
    int boxMethods = c.below(3);
    for (int i = 0; i < boxMethods; i++) {
      addDef(Kind.BOX_METHOD, "get", c.below(4)).isPrivate = c.maybe(30);
    }
    hasShape = c.maybe(60);
    if (hasShape) {
      addShapeDef(Kind.BOX_AREA, "area");
      addShapeDef(Kind.DISC_AREA, "area");
      addShapeDef(Kind.SHAPE_TWICE, "twice");
      addShapeDef(Kind.DISC_TWICE, "twice");
    }
    for (Fn fn : fns) {
      fn.staticTarget = addTarget(Kind.STATIC_TARGET, fn);
      fn.boxTarget = addTarget(Kind.BOX_TARGET, fn);
    }
    for (int i = defs.size() - 1; i > 0; i--) {
      int j = c.below(i + 1);
      Def d = defs.get(i);
      defs.set(i, defs.get(j));
      defs.set(j, d);
    }
    for (int i = 0; i < defs.size(); i++) {
      defs.get(i).position = i;
    }
    for (Def d : defs) {
      d.body = body(d);
    }
    String main = body(null);
    return assemble(main);
  }

  private Def addDef(Kind kind, String prefix, int paramCount) {
    Def d = new Def(kind, prefix + defs.size());
    for (int k = 0; k < paramCount; k++) {
      d.params.add(JavaType.VALUES[c.below(JavaType.VALUES.length)]);
    }
    defs.add(d);
    return d;
  }

  private void addShapeDef(Kind kind, String name) {
    Def d = new Def(kind, name);
    if (name.equals("area")) {
      d.params.add(JavaType.INT);
      d.params.add(JavaType.DOUBLE);
    } else {
      d.params.add(JavaType.LONG);
    }
    defs.add(d);
  }

  /** A target of a method reference for {@code fn}: its parameters adapted, by boxing or not. */
  private Def addTarget(Kind kind, Fn fn) {
    Def d = new Def(kind, "t" + defs.size());
    d.fn = fn;
    d.returnsInt = c.maybe(30);
    // an unbound reference's receiver is the first parameter of the interface
    int skip = kind == Kind.BOX_TARGET && fn.unbound ? 1 : 0;
    for (int k = skip; k < fn.params.size(); k++) {
      d.params.add(adapted(fn.params.get(k)));
    }
    defs.add(d);
    return d;
  }

  /** A parameter type a method reference can adapt an interface's parameter type {@code p} to. */
  private JavaType adapted(JavaType p) {
    switch (p) {
      case INT:
        return new JavaType[] {JavaType.INT, JavaType.INTEGER, JavaType.LONG}[c.below(3)];
      case INTEGER:
        return new JavaType[] {JavaType.INTEGER, JavaType.INT, JavaType.LONG}[c.below(3)];
      case LONG:
      case LONG_BOXED:
      case DOUBLE:
      case DOUBLE_BOXED:
        return c.maybe(50) ? (p == p.unboxed() ? p.boxed() : p.unboxed()) : p;
      default:
        return p;
    }
  }

  // ---------------------------------------------------------------- assembly

  private String assemble(String main) {
    StringBuilder s = new StringBuilder();
    s.append("  public static final class ")
        .append(className)
        .append(" implements SuspendableCallable<Long> {\n");
    s.append("    static final Object LOCK = new Object();\n\n");
    for (Fn fn : fns) {
      s.append("    interface ").append(fn.name).append(" {\n      @Suspendable\n      long apply(");
      for (int k = 0; k < fn.params.size(); k++) {
        s.append(k == 0 ? "" : ", ").append(fn.params.get(k).source).append(" a").append(k);
      }
      s.append(");\n    }\n\n");
    }
    if (hasShape) {
      s.append("    interface Shape {\n      @Suspendable\n      long area(int d, int p0, double p1);\n\n");
      s.append(method(find(Kind.SHAPE_TWICE), "      @Suspendable\n      default long twice("));
      s.append("    }\n\n");
    }
    s.append("    static class Box").append(hasShape ? " implements Shape" : "").append(" {\n");
    s.append("      final long v;\n\n      Box(long v, int w) {\n        this.v = v * 31 + w;\n      }\n\n");
    s.append("      @Override\n      public String toString() {\n        return \"Box\" + v;\n      }\n");
    for (Def d : defs) {
      if (d.kind == Kind.BOX_METHOD || d.kind == Kind.BOX_TARGET || d.kind == Kind.BOX_AREA) {
        s.append('\n').append(method(d, header(d, "      ")));
      }
    }
    s.append("    }\n\n");
    if (hasShape) {
      s.append("    static final class Disc implements Shape {\n");
      s.append(method(find(Kind.DISC_AREA), header(find(Kind.DISC_AREA), "      ")));
      s.append('\n').append(method(find(Kind.DISC_TWICE), header(find(Kind.DISC_TWICE), "      ")));
      s.append("    }\n\n");
    }
    for (Def d : defs) {
      if (d.kind == Kind.STATIC || d.kind == Kind.PLAIN || d.kind == Kind.STATIC_TARGET) {
        s.append(method(d, header(d, "    "))).append('\n');
      }
    }
    s.append("    @Override\n    @Suspendable\n    public Long call() {\n      return main(2);\n    }\n\n");
    s.append("    @Suspendable\n    static long main(int d) {\n").append(main).append("    }\n");
    s.append("  }\n");
    return s.toString();
  }

  private Def find(Kind kind) {
    for (Def d : defs) {
      if (d.kind == kind) {
        return d;
      }
    }
    throw new IllegalStateException(kind.name());
  }

  private String header(Def d, String in) {
    StringBuilder h = new StringBuilder(in);
    if (d.kind != Kind.PLAIN) {
      h.append("@Suspendable\n").append(in);
    }
    switch (d.kind) {
      case STATIC:
      case PLAIN:
      case STATIC_TARGET:
        h.append("static ");
        break;
      case BOX_AREA:
      case DISC_AREA:
      case DISC_TWICE:
        h.append("public ");
        break;
      default:
        h.append(d.isPrivate ? "private " : "");
    }
    return h.append(d.returnsInt ? "int " : "long ").append(d.name).append('(').toString();
  }

  private static String method(Def d, String header) {
    StringBuilder m = new StringBuilder(header);
    int k = 0;
    if (d.hasBudget()) {
      m.append("int d");
      k++;
    }
    for (int i = 0; i < d.params.size(); i++, k++) {
      m.append(k == 0 ? "" : ", ").append(d.params.get(i).source).append(" p").append(i);
    }
    String in = header.startsWith("      ") ? "      " : "    ";
    return m.append(") {\n").append(d.body).append(in).append("}\n").toString();
  }

  // ---------------------------------------------------------------- bodies

  private String body(Def d) {
    out = new StringBuilder();
    current = d;
    scope.clear();
    lambdaFloor = 0;
    loops = 0;
    breakables = 0;
    canReturn = true;
    inFinally = false;
    returnsInt = d != null && d.returnsInt;
    boolean nested = d != null && d.kind != Kind.STATIC && d.kind != Kind.PLAIN
        && d.kind != Kind.STATIC_TARGET;
    indent = nested ? 4 : 3;
    budget = d == null || d.hasBudget() ? "d" : "1";
    if (budget.equals("d")) {
      scope.add(new Var("d", JavaType.INT, null, false, true));
    }
    self = null;
    if (d != null) {
      for (int i = 0; i < d.params.size(); i++) {
        scope.add(new Var("p" + i, d.params.get(i), null, false, true));
      }
      if (d.kind == Kind.BOX_METHOD || d.kind == Kind.BOX_AREA || d.kind == Kind.BOX_TARGET) {
        self = "this";
        scope.add(new Var("this", JavaType.BOX, null, false, true));
      } else if (d.kind == Kind.SHAPE_TWICE || d.kind == Kind.DISC_AREA
          || d.kind == Kind.DISC_TWICE) {
        self = "this";
        scope.add(new Var("this", JavaType.SHAPE, null, false, true));
      }
    }
    block(3, d == null ? 5 : 3);
    line("return " + returned(expr(JavaType.LONG, 2)) + ";");
    return out.toString();
  }

  private String returned(String longExpr) {
    return returnsInt ? "(int) (long) (" + longExpr + ")" : longExpr;
  }

  private int position() {
    return current == null ? -1 : current.position;
  }

  private boolean callable(Def d) {
    return d != null && d.position > position();
  }

  private void line(String text) {
    for (int i = 0; i < indent; i++) {
      out.append("  ");
    }
    out.append(text).append('\n');
  }

  private String name(String prefix) {
    return prefix + names++;
  }

  private int site() {
    return sites++;
  }

  // ---------------------------------------------------------------- statements

  private void block(int depth, int max) {
    int mark = scope.size();
    for (int n = 0; n < max && c.maybe(n == 0 ? 85 : 60); n++) {
      statement(depth);
    }
    truncate(mark);
  }

  private void truncate(int mark) {
    while (scope.size() > mark) {
      scope.remove(scope.size() - 1);
    }
  }

  private void nested(String opening, int depth, int max) {
    line(opening);
    indent++;
    block(depth - 1, max);
    indent--;
  }

  private void statement(int depth) {
    if (inFinally) {
      if (c.maybe(50)) {
        assign();
      } else {
        JavaType t = anyType();
        line("SuspendPoint.log(" + site() + ", " + t.toLong(expr(t, 1)) + ");");
      }
      return;
    }
    int k = depth > 0 ? c.below(14) : c.below(4);
    switch (k) {
      case 0:
        JavaType t = anyType();
        line("SuspendPoint.log(" + site() + ", " + t.toLong(expr(t, 2)) + ");");
        break;
      case 1:
        declare();
        break;
      case 2:
        assign();
        break;
      case 3:
        String call = call(2);
        line("SuspendPoint.log(" + site() + ", " + (call != null ? call : expr(JavaType.LONG, 2))
            + ");");
        break;
      case 4:
        nested("if (" + expr(JavaType.BOOLEAN, 2) + ") {", depth, 2);
        if (c.maybe(50)) {
          nested("} else {", depth, 2);
        }
        line("}");
        break;
      case 5:
        loop(depth);
        break;
      case 6:
        switchStatement(depth);
        break;
      case 7:
        tryStatement(depth);
        break;
      case 8:
        line("if (" + expr(JavaType.BOOLEAN, 1) + ") throw new FuzzException(" + site() + ", "
            + expr(JavaType.LONG, 2) + ");");
        break;
      case 9:
        String lock = self != null && c.maybe(50) ? "this" : "LOCK";
        nested("synchronized (" + lock + ") {", depth, 2);
        line("}");
        break;
      case 10:
        jump();
        break;
      case 11:
        nullReceiver();
        break;
      case 12:
        declareFn();
        break;
      default:
        arrayStore();
    }
  }

  private JavaType anyType() {
    return JavaType.VALUES[c.below(JavaType.VALUES.length)];
  }

  private void declare() {
    JavaType t = hasShape && c.maybe(10) ? JavaType.SHAPE : anyType();
    if (t == JavaType.SHAPE && inFinally) {
      t = JavaType.INT;
    }
    boolean fin = c.maybe(40);
    String n = name("v");
    if (!inFinally && t != JavaType.SHAPE && t != JavaType.BOX && c.maybe(15)) {
      line((fin ? "final " : "") + t.source + " " + n + " = " + switchExpression(t) + ";");
    } else {
      line((fin ? "final " : "") + t.source + " " + n + " = " + expr(t, 2) + ";");
    }
    scope.add(new Var(n, t, null, !fin, fin));
  }

  private void assign() {
    List<Var> targets = new ArrayList<>();
    for (int i = lambdaFloor; i < scope.size(); i++) {
      if (scope.get(i).assignable) {
        targets.add(scope.get(i));
      }
    }
    if (targets.isEmpty()) {
      JavaType t = anyType();
      line("SuspendPoint.log(" + site() + ", " + t.toLong(expr(t, 1)) + ");");
      return;
    }
    Var v = targets.get(c.below(targets.size()));
    JavaType u = v.type.unboxed();
    boolean compound =
        c.maybe(50) && u != JavaType.BOOLEAN && !u.isArray() && u != JavaType.BOX
            && u != JavaType.SHAPE;
    if (compound && u == JavaType.STRING) {
      JavaType t = anyType();
      line(v.name + " += " + t.toLong(expr(t, 2)) + ";");
    } else if (compound) {
      String op = new String[] {"+=", "-=", "*=", "^="}[c.below(u == JavaType.FLOAT
          || u == JavaType.DOUBLE ? 3 : 4)];
      line(v.name + " " + op + " " + expr(u, 2) + ";");
    } else {
      line(v.name + " = " + (u == JavaType.SHAPE ? shape(2) : expr(u, 2)) + ";");
    }
  }

  private void arrayStore() {
    Var a = variableOf(t -> t.isArray());
    if (a == null) {
      declare();
      return;
    }
    JavaType e = a.type.element();
    String op = c.maybe(50) ? " += " : " = ";
    line(a.name + "[Math.floorMod(" + expr(JavaType.INT, 1) + ", " + a.name + ".length)]" + op
        + expr(e, 2) + ";");
  }

  private void loop(int depth) {
    String i = name("i");
    String bound = c.maybe(50) ? "(" + expr(JavaType.INT, 1) + " & 3)" : String.valueOf(c.below(4));
    loops++;
    breakables++;
    int form = c.below(4);
    if (form == 0) {
      scope.add(new Var(i, JavaType.INT, null, false, false));
      nested("for (int " + i + " = 0; " + i + " < " + bound + "; " + i + "++) {", depth, 2);
      line("}");
    } else if (form == 1) {
      line("int " + i + " = 0;");
      scope.add(new Var(i, JavaType.INT, null, false, false));
      nested("while (" + i + "++ < " + bound + ") {", depth, 2);
      line("}");
    } else if (form == 2) {
      line("int " + i + " = 0;");
      scope.add(new Var(i, JavaType.INT, null, false, false));
      nested("do {", depth, 2);
      line("} while (++" + i + " < " + bound + ");");
    } else {
      JavaType array = new JavaType[] {JavaType.INT_ARRAY, JavaType.LONG_ARRAY,
          JavaType.DOUBLE_ARRAY}[c.below(3)];
      String header = "for (" + array.element().source + " " + i + " : " + expr(array, 1) + ") {";
      scope.add(new Var(i, array.element(), null, false, false));
      nested(header, depth, 2);
      line("}");
    }
    scope.remove(scope.size() - 1);
    loops--;
    breakables--;
  }

  private void jump() {
    String cond = "if (" + expr(JavaType.BOOLEAN, 1) + ") ";
    int k = c.below(3);
    if (k == 1 && breakables > 0) {
      line(cond + "break;");
    } else if (k == 2 && loops > 0) {
      line(cond + "continue;");
    } else if (canReturn) {
      line(cond + "return " + returned(expr(JavaType.LONG, 2)) + ";");
    } else {
      line(cond + "SuspendPoint.log(" + site() + ", 1L);");
    }
  }

  private void switchStatement(int depth) {
    int form = c.below(3);
    boolean strings = form == 2;
    String selector = strings
        ? "String.valueOf(" + expr(JavaType.INT, 1) + " & 3)"
        : "(" + expr(JavaType.INT, 1) + " & 3)";
    line("switch (" + selector + ") {");
    int cases = 1 + c.below(3);
    breakables++;
    for (int k = 0; k < cases; k++) {
      String label = strings ? "\"" + k + "\"" : String.valueOf(k);
      if (form == 1) {
        nested("  case " + label + " -> {", depth, 2);
        line("  }");
      } else {
        nested("  case " + label + ": {", depth, 2);
        line("  }");
        if (c.maybe(70)) {
          line("  break;");
        }
      }
    }
    if (c.maybe(60)) {
      nested(form == 1 ? "  default -> {" : "  default: {", depth, 2);
      line("  }");
    }
    breakables--;
    line("}");
  }

  /** A switch expression of type {@code t}, some of whose arms are blocks that yield. */
  private String switchExpression(JavaType t) {
    StringBuilder s = new StringBuilder("switch (" + expr(JavaType.INT, 1) + " & 3) {\n");
    int cases = 1 + c.below(3);
    for (int k = 0; k <= cases; k++) {
      String label = k == cases ? "default" : "case " + k;
      pad(s, indent + 1).append(label).append(" -> ");
      if (c.maybe(40)) {
        s.append("{\n");
        s.append(inner(indent + 2, () -> {
          boolean savedReturn = canReturn;
          int savedLoops = loops;
          int savedBreakables = breakables;
          canReturn = false;
          loops = 0;
          breakables = 0;
          block(1, 2);
          // a yield followed by a parenthesis would parse as a call of a method named yield
          String value = name("y");
          line("final " + t.source + " " + value + " = " + expr(t, 1) + ";");
          line("yield " + value + ";");
          canReturn = savedReturn;
          loops = savedLoops;
          breakables = savedBreakables;
        }));
        pad(s, indent + 1).append("}\n");
      } else {
        s.append(expr(t, 1)).append(";\n");
      }
    }
    return pad(s, indent).append("}").toString();
  }

  private static StringBuilder pad(StringBuilder s, int level) {
    for (int i = 0; i < level; i++) {
      s.append("  ");
    }
    return s;
  }

  /** Writes lines at {@code level} into a separate buffer and returns them. */
  private String inner(int level, Runnable writer) {
    StringBuilder saved = out;
    int savedIndent = indent;
    out = new StringBuilder();
    indent = level;
    writer.run();
    String text = out.toString();
    out = saved;
    indent = savedIndent;
    return text;
  }

  private static final String[] CATCHES = {
    "FuzzException", "ArithmeticException", "NullPointerException", "RuntimeException"
  };

  private void tryStatement(int depth) {
    nested("try {", depth, 2);
    boolean any = false;
    for (String type : CATCHES) {
      if (!c.maybe(45)) {
        continue;
      }
      any = true;
      String e = name("e");
      int mark = scope.size();
      if (type.equals("FuzzException")) {
        scope.add(new Var(e + ".code", JavaType.LONG, null, false, true));
      }
      nested("} catch (" + type + " " + e + ") {", depth, 2);
      truncate(mark);
    }
    if (!any || c.maybe(40)) {
      boolean saved = inFinally;
      inFinally = true;
      nested("} finally {", depth, 2);
      inFinally = saved;
    }
    line("}");
  }

  /** A suspendable call on a receiver that may be null: the exception comes before the callee. */
  private void nullReceiver() {
    List<Def> methods = new ArrayList<>();
    for (Def d : defs) {
      if (d.kind == Kind.BOX_METHOD && callable(d)) {
        methods.add(d);
      }
    }
    if (methods.isEmpty()) {
      declare();
      return;
    }
    Def m = methods.get(c.below(methods.size()));
    String v = name("v");
    line("Box " + v + " = " + expr(JavaType.BOOLEAN, 1) + " ? null : " + expr(JavaType.BOX, 1) + ";");
    line("try {");
    indent++;
    line("SuspendPoint.log(" + site() + ", " + v + "." + m.name + "(" + args(m, 1) + "));");
    indent--;
    line("} catch (NullPointerException " + name("e") + ") {");
    indent++;
    line("SuspendPoint.log(" + site() + ", 0L);");
    indent--;
    line("}");
  }

  private void declareFn() {
    if (fns.isEmpty()) {
      declare();
      return;
    }
    Fn fn = fns.get(c.below(fns.size()));
    String n = name("f");
    line("final " + fn.name + " " + n + " = " + implementation(fn) + ";");
    scope.add(new Var(n, JavaType.FN, fn, false, true));
  }

  private String implementation(Fn fn) {
    int k = c.below(5);
    if (k == 2 && callable(fn.staticTarget)) {
      return className + "::" + fn.staticTarget.name;
    } else if (k == 3 && callable(fn.boxTarget)) {
      return fn.unbound ? "Box::" + fn.boxTarget.name : receiver(1) + "::" + fn.boxTarget.name;
    }
    return lambda(fn, k == 1 || k == 4);
  }

  private String receiver(int depth) {
    String r = expr(JavaType.BOX, depth);
    return r.matches("[a-z][a-z0-9]*") ? r : "(" + r + ")";
  }

  private String lambda(Fn fn, boolean block) {
    int mark = scope.size();
    int savedFloor = lambdaFloor;
    int savedLoops = loops;
    int savedBreakables = breakables;
    boolean savedReturn = canReturn;
    boolean savedInt = returnsInt;
    StringBuilder s = new StringBuilder("(");
    for (int k = 0; k < fn.params.size(); k++) {
      String p = name("a");
      s.append(k == 0 ? "" : ", ").append(p);
      scope.add(new Var(p, fn.params.get(k), null, false, true));
    }
    s.append(") -> ");
    lambdaFloor = scope.size();
    loops = 0;
    breakables = 0;
    canReturn = true;
    returnsInt = false;
    if (block) {
      s.append("{\n");
      s.append(inner(indent + 1, () -> {
        block(1, 3);
        line("return " + expr(JavaType.LONG, 2) + ";");
      }));
      pad(s, indent).append("}");
    } else {
      s.append(expr(JavaType.LONG, 2));
    }
    truncate(mark);
    lambdaFloor = savedFloor;
    loops = savedLoops;
    breakables = savedBreakables;
    canReturn = savedReturn;
    returnsInt = savedInt;
    return s.toString();
  }

  // ---------------------------------------------------------------- expressions

  private String expr(JavaType type, int depth) {
    JavaType t = type.unboxed();
    if (t == JavaType.SHAPE) {
      return shape(depth);
    }
    int k = depth <= 0 ? c.below(2) : c.below(9);
    switch (k) {
      case 0:
        return literal(t);
      case 1:
        Var v = variableOf(x -> x.unboxed() == t);
        return v != null ? v.name : literal(t);
      case 2:
        return point(t, depth - 1);
      case 3:
      case 4:
        return operator(t, depth - 1);
      case 5:
      case 6:
        String call = call(depth - 1);
        return call != null ? fromLong(t, call) : operator(t, depth - 1);
      case 7:
        String read = arrayRead(t, depth - 1);
        return read != null ? read : point(t, depth - 1);
      default:
        return "(" + expr(JavaType.BOOLEAN, depth - 1) + " ? " + expr(t, depth - 1) + " : "
            + expr(t, depth - 1) + ")";
    }
  }

  private Var variableOf(java.util.function.Predicate<JavaType> accepts) {
    List<Var> found = new ArrayList<>();
    for (int i = 0; i < scope.size(); i++) {
      Var v = scope.get(i);
      if (v.type != JavaType.FN && accepts.test(v.type) && (i >= lambdaFloor || v.capturable)) {
        found.add(v);
      }
    }
    return found.isEmpty() ? null : found.get(c.below(found.size()));
  }

  private int small() {
    int v = c.below(41);
    return v % 2 == 0 ? v / 2 : -(v + 1) / 2;
  }

  private String number() {
    return number("");
  }

  /** A small literal with {@code suffix}, in parentheses when negative. */
  private String number(String suffix) {
    int n = small();
    return n < 0 ? "(" + n + suffix + ")" : n + suffix;
  }

  private String literal(JavaType t) {
    switch (t) {
      case BOOLEAN:
        return c.below(2) == 0 ? "false" : "true";
      case BYTE:
        return "(byte) " + number();
      case CHAR:
        return "(char) " + (65 + c.below(26));
      case SHORT:
        return "(short) " + number();
      case INT:
        return number();
      case LONG:
        return c.maybe(10) ? "(" + small() + " * 1_000_000_007L)" : number("L");
      case FLOAT:
        return number(".5f");
      case DOUBLE:
        return number(".25");
      case STRING:
        return "\"s" + c.below(10) + "\"";
      case BOX:
        return "new Box(" + number("L") + ", " + number() + ")";
      default:
        StringBuilder s = new StringBuilder("new " + t.source + " {");
        int n = 1 + c.below(3);
        for (int k = 0; k < n; k++) {
          s.append(k == 0 ? "" : ", ").append(literal(t.element()));
        }
        return s.append('}').toString();
    }
  }

  private String point(JavaType t, int depth) {
    String letter = t.point != null ? t.point : "r";
    return "SuspendPoint." + letter + "(" + site() + ", " + expr(t, depth) + ")";
  }

  private String operator(JavaType t, int depth) {
    switch (t) {
      case INT:
      case LONG: {
        int ops = inFinally ? 6 : 8;
        String op = new String[] {"+", "-", "*", "^", "&", "|", "/", "%"}[c.below(ops)];
        return "(" + expr(t, depth) + " " + op + " " + expr(t, depth) + ")";
      }
      case FLOAT:
      case DOUBLE: {
        String op = new String[] {"+", "-", "*", "/"}[c.below(4)];
        return "(" + expr(t, depth) + " " + op + " " + expr(t, depth) + ")";
      }
      case BYTE:
      case SHORT:
      case CHAR: {
        String op = new String[] {"+", "-", "*", "^"}[c.below(4)];
        return "(" + t.source + ") (" + expr(t, depth) + " " + op + " " + expr(t, depth) + ")";
      }
      case BOOLEAN: {
        int k = c.below(5);
        if (k == 0) {
          JavaType n = new JavaType[] {JavaType.INT, JavaType.LONG, JavaType.DOUBLE}[c.below(3)];
          return "(" + expr(n, depth) + " < " + expr(n, depth) + ")";
        } else if (k == 1) {
          return "(" + expr(t, depth) + " && " + expr(t, depth) + ")";
        } else if (k == 2) {
          return "(" + expr(t, depth) + " || " + expr(t, depth) + ")";
        } else if (k == 3) {
          return "(!" + expr(t, depth) + ")";
        }
        return "(" + expr(t, depth) + " ^ " + expr(t, depth) + ")";
      }
      case STRING: {
        JavaType other = anyType().unboxed();
        if (other == JavaType.BOX || other == JavaType.STRING || other.isArray()) {
          return "String.valueOf(" + expr(JavaType.INT, depth) + ")";
        }
        return "(" + expr(t, depth) + " + " + expr(other, depth) + ")";
      }
      case BOX:
        return "new Box(" + expr(JavaType.LONG, depth) + ", " + expr(JavaType.INT, depth) + ")";
      default: {
        StringBuilder s = new StringBuilder("new " + t.source + " {");
        int n = 1 + c.below(3);
        for (int k = 0; k < n; k++) {
          s.append(k == 0 ? "" : ", ").append(expr(t.element(), depth));
        }
        return s.append('}').toString();
      }
    }
  }

  private String arrayRead(JavaType t, int depth) {
    if (t == JavaType.INT || t == JavaType.LONG || t == JavaType.DOUBLE) {
      JavaType arrayType = t == JavaType.INT ? JavaType.INT_ARRAY
          : t == JavaType.LONG ? JavaType.LONG_ARRAY : JavaType.DOUBLE_ARRAY;
      Var a = variableOf(x -> x == arrayType);
      if (a != null) {
        return a.name + "[Math.floorMod(" + expr(JavaType.INT, depth) + ", " + a.name
            + ".length)]";
      }
    }
    return null;
  }

  /** Converts a {@code long} expression to {@code t}. */
  private String fromLong(JavaType t, String e) {
    switch (t) {
      case BOOLEAN:
        return "((" + e + ") % 2 == 0)";
      case LONG:
        return e;
      case BYTE:
      case CHAR:
      case SHORT:
      case INT:
      case FLOAT:
      case DOUBLE:
        return "(" + t.source + ") (" + e + ")";
      case INT_ARRAY:
        return "new int[] {(int) (" + e + ")}";
      case LONG_ARRAY:
        return "new long[] {" + e + "}";
      case DOUBLE_ARRAY:
        return "new double[] {" + e + "}";
      case STRING:
        return "String.valueOf(" + e + ")";
      default:
        return "new Box(" + e + ", " + number() + ")";
    }
  }

  private String shape(int depth) {
    Var v = variableOf(x -> x == JavaType.SHAPE);
    int k = c.below(4);
    if (k == 0 && v != null) {
      return v.name;
    } else if (k == 1) {
      return "((Shape) new Disc())";
    } else if (k == 2 && depth > 0) {
      return "(" + expr(JavaType.BOOLEAN, depth - 1) + " ? (Shape) new Disc() : "
          + expr(JavaType.BOX, depth - 1) + ")";
    }
    return "((Shape) " + expr(JavaType.BOX, depth) + ")";
  }

  /** A {@code long} expression that calls a method of the program, or null where none may be. */
  private String call(int depth) {
    if (inFinally) {
      return null;
    }
    List<Supplier<String>> options = new ArrayList<>();
    options.add(() -> "SuspendPoint.boom(" + site() + ", " + expr(JavaType.BOOLEAN, depth) + ", "
        + expr(JavaType.LONG, depth) + ")");
    for (Def d : defs) {
      if (!callable(d)) {
        continue;
      }
      if (d.kind == Kind.STATIC || d.kind == Kind.PLAIN) {
        options.add(() -> d.name + "(" + args(d, depth) + ")");
      } else if (d.kind == Kind.BOX_METHOD) {
        options.add(() -> receiver(depth) + "." + d.name + "(" + args(d, depth) + ")");
      }
    }
    if (current != null && (current.kind == Kind.STATIC || current.kind == Kind.PLAIN)) {
      Def me = current;
      options.add(() -> "(d > 0 ? " + me.name + "(d - 1" + (me.params.isEmpty() ? "" : ", ")
          + params(me, depth) + ") : " + number("L") + ")");
    }
    if (hasShape && callable(find(Kind.BOX_AREA)) && callable(find(Kind.DISC_AREA))) {
      options.add(() -> "(" + shape(depth) + ").area(" + budget + ", " + expr(JavaType.INT, depth)
          + ", " + expr(JavaType.DOUBLE, depth) + ")");
    }
    if (hasShape && callable(find(Kind.SHAPE_TWICE)) && callable(find(Kind.DISC_TWICE))) {
      options.add(() -> "(" + shape(depth) + ").twice(" + budget + ", "
          + expr(JavaType.LONG, depth) + ")");
    }
    for (int i = 0; i < scope.size(); i++) {
      Var v = scope.get(i);
      if (v.type == JavaType.FN && (i >= lambdaFloor || v.capturable)) {
        options.add(() -> v.name + ".apply(" + fnArgs(v.fn, depth) + ")");
      }
    }
    return options.get(c.below(options.size())).get();
  }

  private String args(Def d, int depth) {
    String rest = params(d, depth);
    return budget + (rest.isEmpty() ? "" : ", " + rest);
  }

  private String params(Def d, int depth) {
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < d.params.size(); k++) {
      s.append(k == 0 ? "" : ", ").append(argument(d.params.get(k), depth));
    }
    return s.toString();
  }

  private String fnArgs(Fn fn, int depth) {
    StringBuilder s = new StringBuilder();
    for (int k = 0; k < fn.params.size(); k++) {
      s.append(k == 0 ? "" : ", ").append(argument(fn.params.get(k), depth));
    }
    return s.toString();
  }

  private String argument(JavaType t, int depth) {
    return t == JavaType.SHAPE ? shape(depth) : expr(t, depth);
  }
}
