// Command timers is the Go side of Weft's timer benchmark (dev.weft.bench.timers.TimerBench):
// N goroutines each sleep a random 1 to 50 ms, R times; it prints one RESULT line with the mean,
// median, p99 and worst lateness and the process's CPU time (user and system): in all and while the goroutines ran.
//
//	go build -o weft-go-timers ./timers && ./weft-go-timers -procs 1 -fibers 100000 -rounds 20
//
// -warmups W runs the same workload W times first, in the same process, and prints one WARMUP line
// for each (the process's CPU, wall time and mean lateness of that run), as TimerBench does: the
// RESULT line then describes a run after the first-run costs (the heap grown to size, the
// goroutines' stacks allocated once), its cpu_run_s the process's CPU during that run only, and
// it carries warmups=W so that it is never mistaken for a fresh process's. TimerBench's
// workers_cpu_s has no counterpart here (Go does not tell one thread's CPU time from another's),
// so the RESULT line leaves it out.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"sort"
	"sync"
	"syscall"
	"time"
)

func main() {
	procs := flag.Int("procs", 1, "GOMAXPROCS")
	fibers := flag.Int("fibers", 100000, "goroutines")
	rounds := flag.Int("rounds", 20, "sleeps per goroutine")
	warmups := flag.Int("warmups", 0, "runs of the same workload before the measured one")
	flag.Parse()
	if *procs < 1 || *fibers < 1 || *rounds < 0 || *warmups < 0 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: weft-go-timers [-procs P] [-fibers N] [-rounds R] [-warmups W]")
		os.Exit(2)
	}
	runtime.GOMAXPROCS(*procs)
	n, r := *fibers, *rounds
	for w := 1; w <= *warmups; w++ {
		late := make([]int64, n*r)
		cpu0 := cpuTime()
		t0 := time.Now()
		runSleepers(n, r, late)
		fmt.Printf("WARMUP %d cpu_run_s=%.3f wall_s=%.3f late_mean_ms=%.3f\n",
			w, (cpuTime() - cpu0).Seconds(), time.Since(t0).Seconds(), mean(late)/1e6)
	}
	late := make([]int64, n*r)
	cpu0 := cpuTime()
	t0 := time.Now()
	runSleepers(n, r, late)
	wall := time.Since(t0)
	cpu := cpuTime()
	meanLate := mean(late)
	if len(late) == 0 {
		late = []int64{0} // -rounds 0: no sleeps, only the fixed cost
	}
	sort.Slice(late, func(i, j int) bool { return late[i] < late[j] })
	warm := ""
	if *warmups > 0 {
		warm = fmt.Sprintf(" warmups=%d", *warmups)
	}
	fmt.Printf("RESULT workload=timers system=go go=%s procs=%d fibers=%d rounds=%d%s |"+
		" late_mean_ms=%.6g late_p50_ms=%.6g late_p99_ms=%.6g late_max_ms=%.6g wall_s=%.6g cpu_s=%.6g cpu_run_s=%.6g\n",
		runtime.Version(), *procs, n, r, warm,
		meanLate/1e6, float64(late[len(late)/2])/1e6,
		float64(late[int(float64(len(late))*0.99)])/1e6, float64(late[len(late)-1])/1e6,
		wall.Seconds(), cpu.Seconds(), (cpu - cpu0).Seconds())
}

// runSleepers starts the sleepers and waits for them all: one measurement's workload.
func runSleepers(n, rounds int, late []int64) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func(id int) {
			sleeper(id, rounds, late)
			wg.Done()
		}(i)
	}
	wg.Wait()
}

// mean is the mean of the values in ns, 0 when there are none.
func mean(values []int64) float64 {
	if len(values) == 0 {
		return 0
	}
	var sum float64
	for _, v := range values {
		sum += float64(v)
	}
	return sum / float64(len(values))
}

// sleeper draws its delays from an xorshift generator seeded by its index, as the Java program does.
func sleeper(id, rounds int, late []int64) {
	x := uint32(id)*0x9E3779B9 + 1
	if x == 0 {
		x = 1
	}
	for k := 0; k < rounds; k++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		d := time.Duration(1+x%50) * time.Millisecond
		start := time.Now()
		time.Sleep(d)
		late[id*rounds+k] = int64(time.Since(start) - d)
	}
}

// cpuTime is the process's CPU time so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
