package dev.weft.junit;

import dev.weft.SuspendableCallable;
import dev.weft.SuspendableRunnable;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A call of one test or lifecycle method, bound to its instance and arguments, that a fiber can
 * suspend through.
 *
 * <p>JUnit calls test methods by reflection, and a reflective call is a frame the agent never
 * rewrites: a suspension below it could not be resumed. The call is therefore spun as a lambda
 * proxy by {@link LambdaMetafactory}, capturing the instance and the resolved arguments. A lambda
 * proxy only forwards its captured values, which the frame-stack contract accepts on a suspended
 * path, so the fiber goes straight from the extension's code into the test method.
 */
final class DirectCall {
  private DirectCall() {}

  /** The call {@code target.method(args)}, or {@code method(args)} when it is static. */
  static SuspendableCallable<Object> of(Method method, Object target, Object[] args) {
    try {
      MethodHandles.Lookup lookup =
          MethodHandles.privateLookupIn(method.getDeclaringClass(), MethodHandles.lookup());
      MethodHandle implementation = lookup.unreflect(method);
      List<Class<?>> captured = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      if (!Modifier.isStatic(method.getModifiers())) {
        captured.add(method.getDeclaringClass());
        values.add(target);
      }
      captured.addAll(Arrays.asList(method.getParameterTypes()));
      values.addAll(Arrays.asList(args));
      boolean returnsNothing = method.getReturnType() == void.class;
      Class<?> face = returnsNothing ? SuspendableRunnable.class : SuspendableCallable.class;
      String name = returnsNothing ? "run" : "call";
      MethodType erased = returnsNothing ? MethodType.methodType(void.class) : MethodType.methodType(Object.class);
      MethodType instantiated =
          returnsNothing ? erased : MethodType.methodType(boxed(method.getReturnType()));
      CallSite site =
          LambdaMetafactory.metafactory(
              lookup,
              name,
              MethodType.methodType(face, captured),
              erased,
              implementation,
              instantiated);
      Object proxy = site.getTarget().invokeWithArguments(values);
      if (returnsNothing) {
        SuspendableRunnable run = (SuspendableRunnable) proxy;
        return () -> {
          run.run();
          return null;
        };
      }
      @SuppressWarnings("unchecked")
      SuspendableCallable<Object> call = (SuspendableCallable<Object>) proxy;
      return call;
    } catch (Throwable e) {
      throw new IllegalStateException(
          "WeftExtension cannot call " + method + " from a fiber: " + e
              + ". The test class and method must be accessible to weft-junit (on the module path,"
              + " open the test package to dev.weft.junit)",
          e);
    }
  }

  private static Class<?> boxed(Class<?> type) {
    return MethodType.methodType(type).wrap().returnType();
  }
}
