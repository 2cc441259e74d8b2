package dev.weft.conformance.fuzz;

/** The types generated programs compute with, and how a value of each becomes a {@code long}. */
enum JavaType {
  BOOLEAN("boolean", "z"),
  BYTE("byte", "b"),
  CHAR("char", "c"),
  SHORT("short", "s"),
  INT("int", "i"),
  LONG("long", "j"),
  FLOAT("float", "f"),
  DOUBLE("double", "d"),
  INTEGER("Integer", null),
  LONG_BOXED("Long", null),
  DOUBLE_BOXED("Double", null),
  INT_ARRAY("int[]", null),
  LONG_ARRAY("long[]", null),
  DOUBLE_ARRAY("double[]", null),
  STRING("String", null),
  /** The program's own class of objects. */
  BOX("Box", null),
  /** The program's interface, implemented by {@code Box} and {@code Disc}. */
  SHAPE("Shape", null),
  /** One of the program's functional interfaces (the variable says which). */
  FN(null, null);

  /** Types a value of which any expression may be asked for. */
  static final JavaType[] VALUES = {
    INT, LONG, BOOLEAN, DOUBLE, BYTE, CHAR, SHORT, FLOAT, INT_ARRAY, LONG_ARRAY, DOUBLE_ARRAY,
    STRING, BOX, INTEGER, LONG_BOXED, DOUBLE_BOXED
  };

  final String source;
  /** The letter of the typed suspend point, for primitives. */
  final String point;

  JavaType(String source, String point) {
    this.source = source;
    this.point = point;
  }

  /** The primitive a boxed type reads as; itself otherwise. */
  JavaType unboxed() {
    switch (this) {
      case INTEGER:
        return INT;
      case LONG_BOXED:
        return LONG;
      case DOUBLE_BOXED:
        return DOUBLE;
      default:
        return this;
    }
  }

  /** The boxed counterpart of int, long and double; itself otherwise. */
  JavaType boxed() {
    switch (this) {
      case INT:
        return INTEGER;
      case LONG:
        return LONG_BOXED;
      case DOUBLE:
        return DOUBLE_BOXED;
      default:
        return this;
    }
  }

  boolean isArray() {
    return this == INT_ARRAY || this == LONG_ARRAY || this == DOUBLE_ARRAY;
  }

  /** The element type of an array type. */
  JavaType element() {
    switch (this) {
      case INT_ARRAY:
        return INT;
      case LONG_ARRAY:
        return LONG;
      case DOUBLE_ARRAY:
        return DOUBLE;
      default:
        throw new IllegalArgumentException(name());
    }
  }

  /** A {@code long} expression for the value of {@code expr}, an expression of this type. */
  String toLong(String expr) {
    switch (unboxed()) {
      case BOOLEAN:
        return "(" + expr + " ? 1L : 0L)";
      case INT_ARRAY:
      case LONG_ARRAY:
      case DOUBLE_ARRAY:
        return "java.util.Arrays.hashCode(" + expr + ")";
      case STRING:
        return "(long) " + expr + ".hashCode()";
      case BOX:
        return expr + ".v";
      case FLOAT:
      case DOUBLE:
        return "(long) (" + expr + " * 1000)";
      default:
        return "(long) (" + expr + ")";
    }
  }
}
