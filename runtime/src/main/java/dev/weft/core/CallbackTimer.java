package dev.weft.core;

/** A timer that runs a short action: {@code Weft.after} sends on its channel with one. */
final class CallbackTimer extends Timer {
  private final Runnable action;

  CallbackTimer(long deadline, Runnable action) {
    super(deadline);
    this.action = action;
  }

  @Override
  void fire() {
    action.run();
  }
}
