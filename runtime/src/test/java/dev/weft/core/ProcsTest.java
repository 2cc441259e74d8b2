package dev.weft.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Where n comes from: -Dweft.maxprocs, else GOMAXPROCS, else the CPU count. */
class ProcsTest {
  @Test
  void thePropertyWinsAndBadValuesSayWhatToDo() {
    String old = System.getProperty("weft.maxprocs");
    try {
      System.setProperty("weft.maxprocs", "3");
      assertEquals(3, Procs.configured());
      System.setProperty("weft.maxprocs", "lots");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Procs::configured);
      assertTrue(e.getMessage().contains("-Dweft.maxprocs=lots"), e.getMessage());
      assertTrue(e.getMessage().contains("from 1 to 10000"), e.getMessage());
      System.setProperty("weft.maxprocs", "0");
      assertThrows(IllegalArgumentException.class, Procs::configured);
    } finally {
      if (old == null) {
        System.clearProperty("weft.maxprocs");
      } else {
        System.setProperty("weft.maxprocs", old);
      }
    }
  }

  @Test
  void withoutThePropertyItIsPositive() {
    String old = System.getProperty("weft.maxprocs");
    System.clearProperty("weft.maxprocs");
    try {
      assertTrue(Procs.configured() >= 1);
    } finally {
      if (old != null) {
        System.setProperty("weft.maxprocs", old);
      }
    }
  }
}
