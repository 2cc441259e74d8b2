package sample;

/** A test's own stage: its supertype is in the main classes, on the test class path. */
public class PipelineCheck {
  static class Cube implements Stage {
    @Override
    public int apply(int value) {
      dev.weft.Weft.gosched();
      return value * value * value;
    }
  }

  public static void main(String[] args) {
    long r = Pipeline.run(new Cube(), 10);
    System.out.println("cubes " + r / 1000 + ", audited " + r % 1000);
  }
}
