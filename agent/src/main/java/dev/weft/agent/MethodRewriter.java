package dev.weft.agent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicValue;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Rewrites one suspendable method into a resumable state machine, following the protocol written
 * down in {@code dev.weft.frame.FrameStack} (the runtime's side of the contract).
 *
 * <p>The method gains a prologue and, per suspendable call site, a little code around the call
 * plus two out-of-line blocks at the end of the method:
 *
 * <pre>
 *   s = FrameStack.current(); ok = 0
 *   if (s != null) { ok = s.mode; if (ok == REWINDING) goto dispatch; s.mode = NORMAL }
 *   ... original code, where each suspendable call site i becomes:
 *       [receiver copied to a temporary, so it can be saved]
 *       if (s != null) s.mode = ok              // arm: "my caller chain is instrumented"
 *     invoke_i:
 *       call
 *       if (s != null &amp;&amp; s.mode == UNWINDING) goto save_i
 *   ...
 *   save_i:    pop the dummy result; push the operand stack under the call (top first), the
 *              locals, the receiver; push the frame record (i, "Cls.m(File.java:42)"); return a
 *              dummy value
 *   restore_i: pop the receiver, the locals (in reverse), the operand stack; push the receiver
 *              and dummy arguments; goto invoke_i (the callee re-enters in the same way)
 *   dispatch:  ok = ARMED; switch (s.popFrame()) { case i: goto restore_i }
 * </pre>
 *
 * Call sites that hold a monitor arm with the {@code PINNED} bit and get no save or restore
 * block: the fiber never unwinds through them (it blocks its carrier instead), which also keeps
 * monitor use block-structured so the JIT compiles the method. Loop back-edges get a preemption
 * check that, when the scheduler asks, calls {@code FrameStack.preempted()}: itself a call site.
 */
final class MethodRewriter {
  static final String FRAME_STACK = FrameContract.FRAME_STACK;
  static final String FRAME_STACK_DESC = FrameContract.FRAME_STACK_DESC;
  static final String INSTRUMENTED_DESC = FrameContract.INSTRUMENTED_DESC;
  private static final int ARMED = FrameContract.ARMED;
  private static final int PINNED = FrameContract.PINNED;
  private static final int UNWINDING = FrameContract.UNWINDING;
  private static final int REWINDING = FrameContract.REWINDING;
  private static final int MAX_SITES = 0xFFFF;

  private final ClassNode owner;
  private final MethodNode method;
  private final ClassHierarchy hierarchy;
  private final Predicate<MethodInsnNode> isSuspendableCall;
  private final boolean preemptLoops;

  private int stackLocal;
  private int okLocal;
  private int receiverLocal;
  private int argLocals;
  private int originalMaxLocals;
  private int budgetLocal;
  /** Back-edges between two reads of the preemption flag. */
  static final int PREEMPT_BUDGET = 128;

  MethodRewriter(
      ClassNode owner,
      MethodNode method,
      ClassHierarchy hierarchy,
      Predicate<MethodInsnNode> isSuspendableCall,
      boolean preemptLoops) {
    this.owner = owner;
    this.method = method;
    this.hierarchy = hierarchy;
    this.isSuspendableCall = isSuspendableCall;
    this.preemptLoops = preemptLoops;
  }

  /** One suspendable call site, with what the analysis found there. */
  private static final class Site {
    final MethodInsnNode call;
    final boolean pinned;
    Frame<BasicValue> frame;
    /**
     * The locals read after the call before being written, on its normal or any exceptional edge
     * (a handler covering the call runs if it throws after a resume): the only ones saved.
     */
    java.util.BitSet liveAfter;
    /**
     * The local the receiver was loaded from, unchanged since, or -1. Such a receiver is saved as
     * that local instead of a copy of its own: one reference less in every parked frame.
     */
    int receiverFromLocal = -1;
    int entry = -1;
    final LabelNode invoke = new LabelNode();
    final LabelNode save = new LabelNode();
    final LabelNode restore = new LabelNode();

    Site(MethodInsnNode call, boolean pinned) {
      this.call = call;
      this.pinned = pinned;
    }
  }

  void rewrite() {
    InsnList insns = method.instructions;
    originalMaxLocals = method.maxLocals;
    stackLocal = originalMaxLocals;
    okLocal = stackLocal + 1;
    receiverLocal = okLocal + 1;
    argLocals = receiverLocal + 1;
    boolean synchronizedMethod = (method.access & Opcodes.ACC_SYNCHRONIZED) != 0;
    clearArmInHandlers();

    // 1. Find the call sites and loop back-edges, with the monitors held at each.
    int[] depth = MonitorDepth.compute(method);
    List<Site> sites = new ArrayList<>();
    List<JumpInsnNode> backEdges = new ArrayList<>();
    int maxArgSize = 0;
    for (int i = 0; i < insns.size(); i++) {
      AbstractInsnNode insn = insns.get(i);
      if (depth[i] < 0) {
        continue; // unreachable: leave as it is
      }
      boolean pinned = synchronizedMethod || depth[i] > 0;
      if (insn instanceof MethodInsnNode && isSuspendableCall.test((MethodInsnNode) insn)) {
        MethodInsnNode call = (MethodInsnNode) insn;
        if (call.name.equals("<init>")) {
          continue; // constructors are never suspendable
        }
        sites.add(new Site(call, pinned));
        maxArgSize = Math.max(maxArgSize, argSize(call.desc));
      } else if (preemptLoops && !pinned && insn instanceof JumpInsnNode) {
        JumpInsnNode jump = (JumpInsnNode) insn;
        if (insns.indexOf(jump.label) <= i) {
          backEdges.add(jump);
        }
      }
    }

    // 2. Constructor arguments that suspend: move NEW/DUP after them.
    Set<AbstractInsnNode> siteInsns = new HashSet<>();
    for (Site s : sites) {
      siteInsns.add(s.call);
    }
    int nextLocal = ConstructorArgumentMover.move(method, siteInsns, argLocals + maxArgSize);

    // 3. Preemption checks on back-edges; each is a call site of its own. A countdown in a local
    // makes the flag's volatile read happen once every PREEMPT_BUDGET back-edges: a decrement and
    // a branch the CPU predicts cost a compute loop far less than a volatile read per iteration,
    // which also keeps the JIT from optimising the loop around it.
    budgetLocal = nextLocal++;
    for (JumpInsnNode jump : backEdges) {
      LabelNode skip = new LabelNode();
      InsnList check = new InsnList();
      check.add(new org.objectweb.asm.tree.IincInsnNode(budgetLocal, -1));
      check.add(new VarInsnNode(Opcodes.ILOAD, budgetLocal));
      check.add(new JumpInsnNode(Opcodes.IFGT, skip));
      check.add(new IntInsnNode(Opcodes.SIPUSH, PREEMPT_BUDGET));
      check.add(new VarInsnNode(Opcodes.ISTORE, budgetLocal));
      check.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      check.add(new JumpInsnNode(Opcodes.IFNULL, skip));
      check.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      check.add(new FieldInsnNode(Opcodes.GETFIELD, FRAME_STACK, "preempt", "Z"));
      check.add(new JumpInsnNode(Opcodes.IFEQ, skip));
      MethodInsnNode preempted =
          new MethodInsnNode(Opcodes.INVOKESTATIC, FRAME_STACK, "preempted", "()V", false);
      check.add(preempted);
      check.add(skip);
      insns.insertBefore(jump, check);
      sites.add(new Site(preempted, false));
    }
    insertStressPoint(sites, synchronizedMethod);
    if (sites.size() > MAX_SITES) {
      throw new UntransformableException("more than " + MAX_SITES + " suspendable call sites");
    }

    // 4. A first prologue that defines the two new locals, so the analysis sees them.
    LabelNode body = new LabelNode();
    InsnList head = new InsnList();
    head.add(new MethodInsnNode(Opcodes.INVOKESTATIC, FRAME_STACK, "current", "()" + FRAME_STACK_DESC, false));
    head.add(new VarInsnNode(Opcodes.ASTORE, stackLocal));
    head.add(new InsnNode(Opcodes.ICONST_0));
    head.add(new VarInsnNode(Opcodes.ISTORE, okLocal));
    if (!backEdges.isEmpty()) {
      head.add(new IntInsnNode(Opcodes.SIPUSH, PREEMPT_BUDGET));
      head.add(new VarInsnNode(Opcodes.ISTORE, budgetLocal));
    }
    AbstractInsnNode headEnd = head.getLast();
    insns.insert(head);
    method.maxLocals = Math.max(nextLocal, argLocals + maxArgSize);
    boolean hasBudget = !backEdges.isEmpty();
    method.maxStack = method.maxStack + 4;

    // 5. Types of every local and stack value at every site.
    Frame<BasicValue>[] frames = analyze();
    Frame<SourceValue>[] sources = analyzeSources();
    java.util.Map<AbstractInsnNode, Integer> receiverUses = new java.util.HashMap<>();
    for (Site s : sites) {
      int at = insns.indexOf(s.call);
      s.frame = frames[at];
      if (s.frame != null && !s.pinned && s.call.getOpcode() != Opcodes.INVOKESTATIC) {
        s.receiverFromLocal = receiverLocalOf(s, sources, at);
        if (s.receiverFromLocal >= 0) {
          // The call reads that local again if it is resumed, so it stays live up to the call,
          // and every suspension between its load and the call saves it.
          receiverUses.put(s.call, s.receiverFromLocal);
        }
      }
    }
    java.util.BitSet[] live = Liveness.compute(method, receiverUses);
    for (Site s : sites) {
      s.liveAfter = Liveness.liveOut(method, live, insns.indexOf(s.call));
      if (s.receiverFromLocal >= 0) {
        s.liveAfter.set(s.receiverFromLocal);
      }
    }

    // 6. Rewrite each site; number the ones that can unwind.
    InsnList tail = new InsnList();
    List<Site> resumable = new ArrayList<>();
    for (Site s : sites) {
      if (s.frame == null) {
        continue; // unreachable after all
      }
      if (!s.pinned) {
        s.entry = resumable.size();
        resumable.add(s);
      }
      rewriteSite(s, tail);
    }

    // 7. The rest of the prologue, and the dispatch to the restore blocks.
    LabelNode dispatch = new LabelNode();
    InsnList mode = new InsnList();
    loadModeInFiber(mode, body);
    mode.add(new VarInsnNode(Opcodes.ISTORE, okLocal));
    mode.add(new VarInsnNode(Opcodes.ILOAD, okLocal));
    mode.add(new IntInsnNode(Opcodes.BIPUSH, REWINDING));
    mode.add(new JumpInsnNode(Opcodes.IF_ICMPEQ, dispatch));
    mode.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    mode.add(new InsnNode(Opcodes.ICONST_0));
    mode.add(new FieldInsnNode(Opcodes.PUTFIELD, FRAME_STACK, "mode", "I"));
    checkArmedForMe(mode, body);
    mode.add(body);
    insns.insert(headEnd, mode);

    tail.add(dispatch);
    tail.add(new InsnNode(Opcodes.ICONST_1));
    tail.add(new VarInsnNode(Opcodes.ISTORE, okLocal));
    if (hasBudget) {
      tail.add(new IntInsnNode(Opcodes.SIPUSH, PREEMPT_BUDGET));
      tail.add(new VarInsnNode(Opcodes.ISTORE, budgetLocal));
    }
    LabelNode corrupt = new LabelNode();
    if (!resumable.isEmpty()) {
      tail.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      tail.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, FRAME_STACK, "popFrame", "()I", false));
      LabelNode[] targets = new LabelNode[resumable.size()];
      for (int k = 0; k < targets.length; k++) {
        targets[k] = resumable.get(k).restore;
      }
      tail.add(new TableSwitchInsnNode(0, targets.length - 1, corrupt, targets));
    }
    tail.add(corrupt);
    tail.add(new TypeInsnNode(Opcodes.NEW, "java/lang/IllegalStateException"));
    tail.add(new InsnNode(Opcodes.DUP));
    tail.add(new LdcInsnNode(
        "fiber stack does not match " + owner.name.replace('/', '.') + "." + method.name
            + ": was the class changed while a fiber was suspended in it?"));
    tail.add(new MethodInsnNode(
        Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "(Ljava/lang/String;)V", false));
    tail.add(new InsnNode(Opcodes.ATHROW));
    insns.add(tail);
    addCatchAll(resumable);

    if (method.visibleAnnotations == null) {
      method.visibleAnnotations = new ArrayList<>();
    }
    method.visibleAnnotations.add(new AnnotationNode(INSTRUMENTED_DESC));
  }

  /**
   * The stress mode's yield point: a call to {@code FrameStack.stressPoint()} at the very start of
   * the method, guarded by the constant {@code FrameStack.STRESS_YIELD} (so the JIT drops it when
   * the mode is off) and made a call site of its own. A stress yield there unwinds every caller at
   * its real call site, so their save and restore code runs with real values; one site per method
   * costs less code than one beside every call. None in a synchronized method, which pins.
   */
  private void insertStressPoint(List<Site> sites, boolean synchronizedMethod) {
    if (synchronizedMethod) {
      return;
    }
    LabelNode skip = new LabelNode();
    MethodInsnNode point =
        new MethodInsnNode(Opcodes.INVOKESTATIC, FRAME_STACK, "stressPoint", "()V", false);
    InsnList check = new InsnList();
    check.add(new FieldInsnNode(Opcodes.GETSTATIC, FRAME_STACK, "STRESS_YIELD", "Z"));
    check.add(new JumpInsnNode(Opcodes.IFEQ, skip));
    check.add(point);
    check.add(skip);
    method.instructions.insert(check);
    sites.add(new Site(point, false));
  }

  /**
   * Starts every exception handler with {@code FrameStack.clearArm()}: the exception may have been
   * thrown between an arm and the callee's prologue. javac's handlers that release a monitor are
   * left as they are: they cover themselves (a failed release is retried), so a call added there
   * would be retried too, and what reaches them comes from pinned call sites, whose stale arm only
   * pins a suspension made before the next instrumented frame clears it.
   */
  private void clearArmInHandlers() {
    Set<LabelNode> handlers = new HashSet<>();
    for (TryCatchBlockNode tcb : method.tryCatchBlocks) {
      if (handlers.add(tcb.handler) && !coversItself(tcb.handler)) {
        method.instructions.insert(tcb.handler, clearArm());
      }
    }
  }

  /** Whether a handler lies in a range that it handles itself, as javac's monitor releases do. */
  private boolean coversItself(LabelNode handler) {
    InsnList insns = method.instructions;
    int at = insns.indexOf(handler);
    for (TryCatchBlockNode tcb : method.tryCatchBlocks) {
      if (tcb.handler == handler && insns.indexOf(tcb.start) <= at && at < insns.indexOf(tcb.end)) {
        return true;
      }
    }
    return false;
  }

  private static MethodInsnNode clearArm() {
    return new MethodInsnNode(Opcodes.INVOKESTATIC, FRAME_STACK, "clearArm", "()V", false);
  }

  /**
   * Ends the exception table with a catch-all that clears a stale arm and rethrows, for an
   * exception that leaves the method: the frame that catches it may be a plain one that then calls
   * a rewritten method. Only a call instruction can throw between an arm and the callee's prologue
   * (a null receiver, a failed class initialisation or resolution, a stack overflow), so it covers
   * exactly the unpinned call instructions: never a monitor region (C2 refuses a handler reached
   * at several monitor depths) and no other instruction of the body.
   */
  private void addCatchAll(List<Site> unpinned) {
    if (unpinned.isEmpty()) {
      return;
    }
    InsnList insns = method.instructions;
    LabelNode handler = new LabelNode();
    for (Site s : unpinned) {
      LabelNode start = new LabelNode();
      LabelNode end = new LabelNode();
      insns.insertBefore(s.call, start);
      insns.insert(s.call, end);
      method.tryCatchBlocks.add(new TryCatchBlockNode(start, end, handler, null));
    }
    insns.add(handler);
    insns.add(clearArm());
    insns.add(new InsnNode(Opcodes.ATHROW));
  }

  /**
   * The prologue's check that an arm is meant for this frame: when exactly ARMED, the caller's
   * {@code s.armedFor} must be {@code this} (null for a static method); otherwise a frame the agent
   * did not rewrite may sit in between, and {@code s.armedThrough(OwnClass.class)} decides what is
   * kept (it needs the callee's class: a lambda proxy keeps the arm for its own targets only).
   */
  private void checkArmedForMe(InsnList out, LabelNode ok) {
    out.add(new VarInsnNode(Opcodes.ILOAD, okLocal));
    out.add(new InsnNode(Opcodes.ICONST_1));
    out.add(new JumpInsnNode(Opcodes.IF_ICMPNE, ok));
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    out.add(new FieldInsnNode(Opcodes.GETFIELD, FRAME_STACK, "armedFor", "Ljava/lang/Object;"));
    boolean isStatic = (method.access & Opcodes.ACC_STATIC) != 0;
    if (isStatic) {
      out.add(classToken(owner.name));
      out.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, ok));
      out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      out.add(classToken(owner.name));
      out.add(new MethodInsnNode(
          Opcodes.INVOKEVIRTUAL, FRAME_STACK, "armedThroughStatic", "(Ljava/lang/Class;)I", false));
      out.add(new VarInsnNode(Opcodes.ISTORE, okLocal));
      return;
    }
    out.add(new VarInsnNode(Opcodes.ALOAD, 0));
    out.add(new JumpInsnNode(Opcodes.IF_ACMPEQ, ok));
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    if ((owner.version & 0xFFFF) >= Opcodes.V1_5) { // a class constant loads from Java 5 on
      out.add(new LdcInsnNode(Type.getObjectType(owner.name)));
      out.add(new MethodInsnNode(
          Opcodes.INVOKEVIRTUAL, FRAME_STACK, "armedThrough", "(Ljava/lang/Class;)I", false));
    } else {
      out.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, FRAME_STACK, "armedThrough", "()I", false));
    }
    out.add(new VarInsnNode(Opcodes.ISTORE, okLocal));
  }

  /**
   * What a static call stores in {@code armedFor}, and what a static callee compares it with: the
   * class named by the call (the constant pool already holds it), or null in a class file too old
   * to load a class constant (before Java 5).
   */
  private AbstractInsnNode classToken(String internalName) {
    return (owner.version & 0xFFFF) >= Opcodes.V1_5
        ? new LdcInsnNode(Type.getObjectType(internalName))
        : new InsnNode(Opcodes.ACONST_NULL);
  }

  /** Pushes {@code s.mode}, or jumps to {@code onPlainThread} when {@code s} is null. */
  private void loadModeInFiber(InsnList out, LabelNode onPlainThread) {
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    out.add(new JumpInsnNode(Opcodes.IFNULL, onPlainThread));
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    out.add(new FieldInsnNode(Opcodes.GETFIELD, FRAME_STACK, "mode", "I"));
  }

  private Frame<BasicValue>[] analyze() {
    List<Type> interfaces = new ArrayList<>();
    for (String i : owner.interfaces) {
      interfaces.add(Type.getObjectType(i));
    }
    HierarchyVerifier verifier =
        new HierarchyVerifier(
            hierarchy,
            Type.getObjectType(owner.name),
            owner.superName == null ? null : Type.getObjectType(owner.superName),
            interfaces,
            (owner.access & Opcodes.ACC_INTERFACE) != 0);
    try {
      return new Analyzer<>(verifier).analyze(owner.name, method);
    } catch (AnalyzerException e) {
      throw new UntransformableException(
          "cannot analyse " + method.name + method.desc + ": " + e.getMessage());
    }
  }

  private Frame<SourceValue>[] analyzeSources() {
    try {
      return new Analyzer<>(new SourceInterpreter()).analyze(owner.name, method);
    } catch (AnalyzerException e) {
      throw new UntransformableException(
          "cannot analyse " + method.name + method.desc + ": " + e.getMessage());
    }
  }

  /** The local a call's receiver comes straight from, if that local still holds it at the call. */
  private int receiverLocalOf(Site s, Frame<SourceValue>[] sources, int at) {
    Frame<SourceValue> here = sources[at];
    if (here == null) {
      return -1;
    }
    int under = here.getStackSize() - Type.getArgumentTypes(s.call.desc).length - 1;
    SourceValue receiver = here.getStack(under);
    if (receiver.insns.size() != 1) {
      return -1;
    }
    AbstractInsnNode load = receiver.insns.iterator().next();
    if (load.getOpcode() != Opcodes.ALOAD) {
      return -1;
    }
    int local = ((VarInsnNode) load).var;
    if (local >= originalMaxLocals) {
      return -1;
    }
    Frame<SourceValue> atLoad = sources[method.instructions.indexOf(load)];
    if (atLoad == null || !atLoad.getLocal(local).insns.equals(here.getLocal(local).insns)) {
      return -1; // the local was written in between
    }
    return isSaved(s.frame.getLocal(local)) ? local : -1;
  }

  private void rewriteSite(Site s, InsnList tail) {
    InsnList insns = method.instructions;
    MethodInsnNode call = s.call;
    Type[] args = Type.getArgumentTypes(call.desc);
    Type ret = Type.getReturnType(call.desc);
    boolean hasReceiver = call.getOpcode() != Opcodes.INVOKESTATIC;
    Frame<BasicValue> f = s.frame;
    int under = f.getStackSize() - args.length - (hasReceiver ? 1 : 0);
    for (int j = 0; j < f.getStackSize(); j++) {
      checkSavable(f.getStack(j));
    }

    // Before the call: keep the receiver, arm, mark where a resume re-enters.
    InsnList before = new InsnList();
    boolean receiverCopy = hasReceiver && !s.pinned && s.receiverFromLocal < 0;
    // An interface call may reach a method reference's proxy, which a resume re-enters before the
    // target's prologue: it calls an unbound target on its first argument and unboxes or casts the
    // others, so every reference argument must be real again (primitive dummies convert safely).
    boolean[] keep = new boolean[args.length];
    boolean keepArgs = false;
    for (int k = 0; k < args.length; k++) {
      keep[k] = call.getOpcode() == Opcodes.INVOKEINTERFACE && !s.pinned && isReference(args[k]);
      keepArgs |= keep[k];
    }
    int[] slots = argSlots(args);
    if (receiverCopy || keepArgs) {
      for (int k = args.length - 1; k >= 0; k--) {
        before.add(new VarInsnNode(args[k].getOpcode(Opcodes.ISTORE), slots[k]));
      }
      if (receiverCopy) {
        before.add(new InsnNode(Opcodes.DUP));
        before.add(new VarInsnNode(Opcodes.ASTORE, receiverLocal));
      }
      for (int k = 0; k < args.length; k++) {
        before.add(new VarInsnNode(args[k].getOpcode(Opcodes.ILOAD), slots[k]));
      }
    }
    LabelNode armed = new LabelNode();
    before.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    before.add(new JumpInsnNode(Opcodes.IFNULL, armed));
    if (!s.pinned) { // the callee checks that the arm is its own; stored first: ldc may throw
      before.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
      before.add(hasReceiver
          ? new VarInsnNode(Opcodes.ALOAD, receiverCopy ? receiverLocal : s.receiverFromLocal)
          : classToken(call.owner));
      before.add(new FieldInsnNode(Opcodes.PUTFIELD, FRAME_STACK, "armedFor", "Ljava/lang/Object;"));
    }
    before.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    before.add(new VarInsnNode(Opcodes.ILOAD, okLocal));
    if (s.pinned) {
      before.add(new InsnNode(Opcodes.ICONST_2));
      before.add(new InsnNode(Opcodes.IOR));
    }
    before.add(new FieldInsnNode(Opcodes.PUTFIELD, FRAME_STACK, "mode", "I"));
    before.add(armed);
    before.add(s.invoke);
    insns.insertBefore(call, before);
    if (s.pinned) {
      return; // never unwinds: no check, no save, no restore
    }

    // After the call: did the callee start an unwind?
    InsnList after = new InsnList();
    LabelNode cont = new LabelNode();
    loadModeInFiber(after, cont);
    after.add(new InsnNode(Opcodes.ICONST_4));
    after.add(new JumpInsnNode(Opcodes.IF_ICMPEQ, s.save));
    after.add(cont);
    insns.insert(call, after);

    // save_i
    tail.add(s.save);
    if (ret.getSize() == 2) {
      tail.add(new InsnNode(Opcodes.POP2));
    } else if (ret.getSize() == 1) {
      tail.add(new InsnNode(Opcodes.POP));
    }
    for (int j = under - 1; j >= 0; j--) {
      BasicValue v = f.getStack(j);
      if (isNull(v)) {
        tail.add(new InsnNode(Opcodes.POP));
      } else {
        push(tail, v.getType());
      }
    }
    for (int l = 0; l < originalMaxLocals; l++) {
      BasicValue v = f.getLocal(l);
      if (isSaved(v) && s.liveAfter.get(l)) {
        tail.add(new VarInsnNode(v.getType().getOpcode(Opcodes.ILOAD), l));
        push(tail, v.getType());
      }
    }
    Type receiverType = null;
    if (receiverCopy) {
      receiverType = isNull(f.getStack(under)) ? Type.getObjectType(call.owner) : f.getStack(under).getType();
      tail.add(new VarInsnNode(Opcodes.ALOAD, receiverLocal));
      push(tail, receiverType);
    }
    for (int k = 0; k < args.length; k++) {
      if (keep[k]) {
        tail.add(new VarInsnNode(Opcodes.ALOAD, slots[k]));
        push(tail, args[k]);
      }
    }
    tail.add(intConst(s.entry));
    tail.add(new LdcInsnNode(siteName(call)));
    tail.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    tail.add(new MethodInsnNode(
        Opcodes.INVOKESTATIC, FRAME_STACK, "pushFrame", "(ILjava/lang/String;" + FRAME_STACK_DESC + ")V", false));
    returnDummy(tail);

    // restore_i
    tail.add(s.restore);
    for (int k = args.length - 1; k >= 0; k--) {
      if (keep[k]) {
        pop(tail, args[k]);
        tail.add(new VarInsnNode(Opcodes.ASTORE, slots[k]));
      }
    }
    if (receiverCopy) {
      pop(tail, receiverType);
      tail.add(new VarInsnNode(Opcodes.ASTORE, receiverLocal));
    }
    for (int l = originalMaxLocals - 1; l >= 0; l--) {
      BasicValue v = f.getLocal(l);
      if (!s.liveAfter.get(l)) {
        continue;
      }
      if (isSaved(v)) {
        pop(tail, v.getType());
        tail.add(new VarInsnNode(v.getType().getOpcode(Opcodes.ISTORE), l));
      } else if (isNull(v)) {
        tail.add(new InsnNode(Opcodes.ACONST_NULL));
        tail.add(new VarInsnNode(Opcodes.ASTORE, l));
      }
    }
    for (int j = 0; j < under; j++) {
      BasicValue v = f.getStack(j);
      if (isNull(v)) {
        tail.add(new InsnNode(Opcodes.ACONST_NULL));
      } else {
        pop(tail, v.getType());
      }
    }
    if (hasReceiver) {
      tail.add(new VarInsnNode(Opcodes.ALOAD, receiverCopy ? receiverLocal : s.receiverFromLocal));
    }
    for (int k = 0; k < args.length; k++) {
      tail.add(keep[k] ? new VarInsnNode(Opcodes.ALOAD, slots[k]) : zero(args[k]));
    }
    tail.add(new JumpInsnNode(Opcodes.GOTO, s.invoke));
  }

  private static boolean isReference(Type t) {
    return t.getSort() == Type.OBJECT || t.getSort() == Type.ARRAY;
  }

  private int[] argSlots(Type[] args) {
    int[] slots = new int[args.length];
    int next = argLocals;
    for (int k = 0; k < args.length; k++) {
      slots[k] = next;
      next += args[k].getSize();
    }
    return slots;
  }

  private static int argSize(String desc) {
    int size = 0;
    for (Type t : Type.getArgumentTypes(desc)) {
      size += t.getSize();
    }
    return size;
  }

  private void checkSavable(BasicValue v) {
    if (v == null || v.getType() == null || v == BasicValue.RETURNADDRESS_VALUE) {
      throw new UntransformableException(
          "a subroutine return address or an unknown value is live across a suspendable call in "
              + method.name + method.desc);
    }
  }

  private static boolean isNull(BasicValue v) {
    Type t = v.getType();
    return t != null && t.getSort() == Type.OBJECT && t.getInternalName().equals("null");
  }

  /** Whether a local holds a value that must be saved (defined, and not the constant null). */
  private static boolean isSaved(BasicValue v) {
    if (v == null || v.getType() == null || v == BasicValue.UNINITIALIZED_VALUE) {
      return false;
    }
    if (v == BasicValue.RETURNADDRESS_VALUE || v.getType().getSort() == Type.VOID) {
      return false;
    }
    return !isNull(v);
  }

  /**
   * How the frame stack keeps a value of type {@code t}: the suffix of its push and pop methods and
   * the descriptor of the value they take and give. Sub-int types travel as ints, every reference as
   * an Object (cast back on restore).
   */
  private static String[] slotKind(Type t) {
    switch (t.getSort()) {
      case Type.BOOLEAN:
      case Type.BYTE:
      case Type.CHAR:
      case Type.SHORT:
      case Type.INT:
        return new String[] {"Int", "I"};
      case Type.FLOAT:
        return new String[] {"Float", "F"};
      case Type.LONG:
        return new String[] {"Long", "J"};
      case Type.DOUBLE:
        return new String[] {"Double", "D"};
      default:
        return new String[] {"Ref", "Ljava/lang/Object;"};
    }
  }

  /** Saves the value on top of the operand stack: {@code FrameStack.pushX(value, s)}. */
  private void push(InsnList out, Type t) {
    String[] kind = slotKind(t);
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    out.add(new MethodInsnNode(
        Opcodes.INVOKESTATIC, FRAME_STACK, "push" + kind[0], "(" + kind[1] + FRAME_STACK_DESC + ")V", false));
  }

  /** Restores a value onto the operand stack: {@code s.popX()}, cast back to its type. */
  private void pop(InsnList out, Type t) {
    String[] kind = slotKind(t);
    out.add(new VarInsnNode(Opcodes.ALOAD, stackLocal));
    out.add(new MethodInsnNode(Opcodes.INVOKEVIRTUAL, FRAME_STACK, "pop" + kind[0], "()" + kind[1], false));
    if (kind[0].equals("Ref") && !t.getInternalName().equals("java/lang/Object")) {
      out.add(new TypeInsnNode(Opcodes.CHECKCAST, t.getInternalName()));
    }
  }

  private void returnDummy(InsnList out) {
    Type ret = Type.getReturnType(method.desc);
    if (ret.getSort() != Type.VOID) {
      out.add(zero(ret));
    }
    out.add(new InsnNode(ret.getOpcode(Opcodes.IRETURN)));
  }

  private static AbstractInsnNode zero(Type t) {
    switch (t.getSort()) {
      case Type.BOOLEAN:
      case Type.BYTE:
      case Type.CHAR:
      case Type.SHORT:
      case Type.INT:
        return new InsnNode(Opcodes.ICONST_0);
      case Type.FLOAT:
        return new InsnNode(Opcodes.FCONST_0);
      case Type.LONG:
        return new InsnNode(Opcodes.LCONST_0);
      case Type.DOUBLE:
        return new InsnNode(Opcodes.DCONST_0);
      default:
        return new InsnNode(Opcodes.ACONST_NULL);
    }
  }

  private static AbstractInsnNode intConst(int v) {
    if (v <= 5) {
      return new InsnNode(Opcodes.ICONST_0 + v);
    }
    if (v <= Byte.MAX_VALUE) {
      return new IntInsnNode(Opcodes.BIPUSH, v);
    }
    if (v <= Short.MAX_VALUE) {
      return new IntInsnNode(Opcodes.SIPUSH, v);
    }
    return new LdcInsnNode(v);
  }

  /** "pkg.Cls.method(File.java:42)", as a stack trace prints the call site. */
  private String siteName(MethodInsnNode call) {
    int line = -1;
    for (AbstractInsnNode i = call; i != null; i = i.getPrevious()) {
      if (i instanceof LineNumberNode) {
        line = ((LineNumberNode) i).line;
        break;
      }
    }
    String cls = owner.name.replace('/', '.');
    String file = owner.sourceFile != null ? owner.sourceFile : "Unknown Source";
    return cls + "." + method.name + "(" + file + (line >= 0 ? ":" + line : "") + ")";
  }
}
