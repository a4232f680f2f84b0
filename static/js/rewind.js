// Where "one phase back" (←) and "one iteration back" (Shift+←) go: pure functions of the network's
// position {step, phase} (phase = phases of the next iteration already done) and the number of phases
// in one iteration. The server does the rewinding (POST …/rewind); this only names the moment.

export function phaseBack({ step, phase }, phases) {
  if (phase > 0) return { step, phase: phase - 1 };
  return step > 0 ? { step: step - 1, phase: phases - 1 } : null;
}

export function iterationBack({ step, phase }) {
  if (step > 0) return { step: step - 1, phase };
  return phase > 0 ? { step: 0, phase: 0 } : null;
}

// The scrubber's moment for a slider value, kept within what the timeline can reach.
export function scrubTarget(value, timeline) {
  const step = Math.round(Math.min(Math.max(value, timeline.first), timeline.newest.step));
  return { step, phase: step === timeline.newest.step ? Math.min(0, timeline.newest.phase) : 0 };
}
