package dev.weft.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Suspendable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Switches of every form javac emits: tableswitch, lookupswitch, strings (a hash switch and a
 * second switch on a hidden index local), enums (through a synthetic switch-map class), and switch
 * expressions with yield, some of them with values on the operand stack around the whole switch.
 */
class SwitchesShapeTest extends ShapeTest {

  enum Colour {
    RED,
    GREEN,
    BLUE
  }

  @Suspendable
  @SuppressWarnings("fallthrough")
  private static String dense(int k) {
    String s;
    switch (k) { // tableswitch
      case 0:
        s = Pause.ref("zero");
        break;
      case 1:
        Pause.here();
        s = "one";
        break;
      case 2:
        s = "two";
        Pause.here();
        // fall through
      case 3:
        s = "two-three".substring(0, Pause.i(3)) + "~";
        break;
      default:
        s = "many";
    }
    return s;
  }

  @Test
  void tableSwitchWithSuspensionsInCasesAndFallThrough() {
    Fibers.run(
        () -> {
          List<String> out = new ArrayList<>();
          for (int k = -1; k <= 4; k++) {
            out.add(dense(Pause.i(k)));
          }
          assertEquals(List.of("many", "zero", "one", "two~", "two~", "many"), out);
        });
  }

  @Test
  void lookupSwitchOnSparseKeysWithTheSelectorFromACall() {
    Fibers.run(
        () -> {
          long acc = 0;
          int[] keys = {-1_000_000, 7, 1 << 20, 8};
          for (int key : keys) {
            switch (Pause.i(key)) { // lookupswitch
              case -1_000_000:
                acc += Pause.j(1);
                break;
              case 7:
                acc += 10;
                Pause.sleep();
                break;
              case 1 << 20:
                acc += Pause.i(100);
                break;
              default:
                acc += 1000;
            }
          }
          assertEquals(1111, acc);
        });
  }

  @Test
  void stringSwitchWithCollidingHashes() {
    Fibers.run(
        () -> {
          // "Aa" and "BB" share a hash code: the second, hidden switch tells them apart.
          StringBuilder sb = new StringBuilder();
          for (String s : new String[] {"Aa", "BB", "other", "C"}) {
            switch (Pause.ref(s)) {
              case "Aa":
                sb.append(Pause.i(1));
                break;
              case "BB":
                Pause.here();
                sb.append(2);
                break;
              case "C":
                sb.append(Pause.ref("c"));
                break;
              default:
                sb.append('-');
            }
          }
          assertEquals("12-c", sb.toString());
        });
  }

  @Test
  void enumSwitchStatementAndExpression() {
    Fibers.run(
        () -> {
          int sum = 0;
          for (Colour c : Colour.values()) {
            switch (Pause.ref(c)) {
              case RED:
                sum += Pause.i(1);
                break;
              case GREEN:
                Pause.here();
                sum += 10;
                break;
              default:
                sum += 100;
            }
            String name =
                switch (c) {
                  case RED -> Pause.ref("r");
                  case GREEN -> {
                    Pause.here();
                    yield "g";
                  }
                  case BLUE -> "b";
                };
            assertEquals(c.name().substring(0, 1).toLowerCase(), name);
          }
          assertEquals(111, sum);
        });
  }

  @Test
  void switchExpressionsWithYieldAndValuesAroundThem() {
    Fibers.run(
        () -> {
          for (int k = 0; k < 4; k++) {
            int expected = k == 0 ? 1 : k == 1 ? 20 : k == 2 ? 300 : 4000;
            assertEquals((1L << 40) + expected, longUnderSwitch(k));
            assertEquals(1_000_000 + expected, intUnderSwitchWithTry(k));
            assertEquals("k=" + k + ":" + (k % 2 == 0 ? "even" : "odd"), labelled(k));
          }
        });
  }

  @Suspendable
  private static long longUnderSwitch(int k) {
    long base = 1L << 40;
    // base is on the operand stack while the switch expression suspends inside.
    return base
        + switch (k) {
          case 0 -> Pause.j(1);
          case 1 -> {
            long t = Pause.j(20);
            Pause.here();
            yield t;
          }
          case 2 -> Pause.i(300);
          default -> 4000;
        };
  }

  @Suspendable
  private static int intUnderSwitchWithTry(int k) {
    int base = 1_000_000;
    // One case holds a try, so javac spills base into a hidden local around the switch.
    // (A long under such a switch crashes javac 17, hence an int.)
    return base
        + switch (k) {
          case 0 -> Pause.i(1);
          case 1 -> {
            int t = Pause.i(20);
            Pause.here();
            yield t;
          }
          case 2 -> {
            try {
              yield Pause.i(300);
            } finally {
              Pause.here();
            }
          }
          default -> 4000;
        };
  }

  @Suspendable
  private static String labelled(int k) {
    return "k=" + k + ":" + switch (Pause.i(k) % 2) {
      case 0 -> "even";
      default -> Pause.ref("odd");
    };
  }

  @Test
  void switchOnCharWithMultipleLabelsPerCase() {
    Fibers.run(
        () -> {
          StringBuilder sb = new StringBuilder();
          for (char c : "a1 x".toCharArray()) {
            int kind =
                switch (Pause.c(c)) {
                  case 'a', 'e', 'i', 'o', 'u' -> Pause.i(1);
                  case '0', '1', '2' -> {
                    Pause.sleep();
                    yield 2;
                  }
                  case ' ' -> 3;
                  default -> Pause.i(4);
                };
            sb.append(kind);
          }
          assertEquals("1234", sb.toString());
        });
  }

  @Test
  void nestedSwitchesInsideALoop() {
    Fibers.run(
        () -> {
          int total = 0;
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
              total +=
                  switch (i) {
                    case 0 -> switch (j) {
                      case 0 -> Pause.i(1);
                      default -> 2;
                    };
                    case 1 -> Pause.i(10) * j;
                    default -> {
                      int v = switch (Pause.i(j)) {
                        case 2 -> 300;
                        default -> 100;
                      };
                      yield v;
                    }
                  };
            }
          }
          assertEquals(1 + 2 + 2 + 0 + 10 + 20 + 100 + 100 + 300, total);
        });
  }
}
