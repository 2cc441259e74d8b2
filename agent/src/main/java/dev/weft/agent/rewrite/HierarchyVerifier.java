package dev.weft.agent.rewrite;

import dev.weft.agent.hierarchy.ClassHierarchy;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.SimpleVerifier;

/**
 * ASM's type-inferring verifier, answering its subtype questions from the {@link ClassHierarchy}
 * instead of loading classes. Gives the rewriter the exact static type of every local and stack
 * value at a call site, so that restored references can be cast back to what the code expects.
 */
final class HierarchyVerifier extends SimpleVerifier {
  private final ClassHierarchy hierarchy;

  HierarchyVerifier(
      ClassHierarchy hierarchy, Type self, Type superType, List<Type> interfaces, boolean isItf) {
    super(Opcodes.ASM9, self, superType, interfaces, isItf);
    this.hierarchy = hierarchy;
  }

  @Override
  protected boolean isInterface(Type type) {
    return type.getSort() == Type.OBJECT && hierarchy.isInterface(type.getInternalName());
  }

  /**
   * As the JVM's verifier, any reference passes where an interface is expected. ASM's own answer
   * to that question loads the interface through the agent's class loader, which cannot see an
   * application's classes when another loader defines them, and the whole class was then left
   * unrewritten (a merge of two implementations, passed as the interface, was enough).
   */
  @Override
  protected boolean isSubTypeOf(BasicValue value, BasicValue expected) {
    Type v = value.getType();
    Type e = expected.getType();
    if (v != null && e != null && !v.equals(e) && isReference(v) && isReference(e)) {
      int dimensions = e.getSort() == Type.ARRAY ? e.getDimensions() : 0;
      Type element = dimensions == 0 ? e : e.getElementType();
      int valueDimensions = v.getSort() == Type.ARRAY ? v.getDimensions() : 0;
      boolean valueIsNull = v.getSort() == Type.OBJECT && v.getInternalName().equals("null");
      if (element.getSort() == Type.OBJECT
          && isInterface(element)
          && (valueIsNull
              || valueDimensions > dimensions
              || (valueDimensions == dimensions
                  && (dimensions == 0 || v.getElementType().getSort() == Type.OBJECT)))) {
        return true;
      }
    }
    return super.isSubTypeOf(value, expected);
  }

  private static boolean isReference(Type t) {
    return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY;
  }

  @Override
  protected Type getSuperClass(Type type) {
    if (type.getSort() == Type.ARRAY) {
      return Type.getObjectType("java/lang/Object");
    }
    String superName = hierarchy.get(type.getInternalName()).superName;
    return superName == null ? null : Type.getObjectType(superName);
  }

  @Override
  protected boolean isAssignableFrom(Type to, Type from) {
    if (to.equals(from)) {
      return true;
    }
    if (from.getSort() == Type.OBJECT && from.getInternalName().equals("null")) {
      return to.getSort() == Type.OBJECT || to.getSort() == Type.ARRAY;
    }
    if (to.getSort() == Type.OBJECT) {
      String t = to.getInternalName();
      if (t.equals("java/lang/Object")) {
        return from.getSort() == Type.OBJECT || from.getSort() == Type.ARRAY;
      }
      if (from.getSort() == Type.ARRAY) {
        return t.equals("java/lang/Cloneable") || t.equals("java/io/Serializable");
      }
      return from.getSort() == Type.OBJECT && hierarchy.isAssignable(t, from.getInternalName());
    }
    if (to.getSort() == Type.ARRAY) {
      if (from.getSort() != Type.ARRAY) {
        return false;
      }
      Type toElem = Type.getType(to.getDescriptor().substring(1));
      Type fromElem = Type.getType(from.getDescriptor().substring(1));
      boolean toRef = toElem.getSort() == Type.OBJECT || toElem.getSort() == Type.ARRAY;
      boolean fromRef = fromElem.getSort() == Type.OBJECT || fromElem.getSort() == Type.ARRAY;
      if (toRef && fromRef) {
        return isAssignableFrom(toElem, fromElem);
      }
      return toElem.equals(fromElem);
    }
    return false;
  }
}
