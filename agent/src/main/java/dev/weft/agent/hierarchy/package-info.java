/**
 * What the agent knows of classes and which of their methods are suspendable: the class
 * hierarchy of one class loader, read from class files and never by loading a class ({@link
 * dev.weft.agent.hierarchy.ClassHierarchy}), the header read from the bytes, without ASM, that
 * rejects almost every class unparsed ({@link dev.weft.agent.hierarchy.ClassFileHeader}), the {@code
 * META-INF/weft/suspendables} lists and marking annotations, and the rules of SPEC section 4
 * that make a method suspendable ({@link dev.weft.agent.hierarchy.SuspendableMethods}). For the
 * transformer, which asks whether a class needs rewriting, and for the rewrite, which asks
 * whether a call site is a suspension point.
 */
package dev.weft.agent.hierarchy;
