package dev.teardown.timewait;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The stage calls its three built-in parts directly, so what each overrides must be what the stage tells it. */
class TimeWaitStageTest {
    /** The events the stage passes to a part only if it is listed here (the once-per-run events go to every part). */
    private static final Set<String> DIRECT = Set.of("onSegment", "closed", "timeWaitStarted", "tupleReused",
        "finished", "advanceTo");
    /** The direct events {@link TimeWaitStage} passes to each built-in part (per packet, its own methods instead). */
    private static final Map<Class<?>, Set<String>> DISPATCHED = Map.of(
        TimeWaitTimeline.class, Set.of("closed", "timeWaitStarted", "tupleReused", "finished", "advanceTo"),
        TimestampClocks.class, Set.of("timeWaitStarted", "tupleReused", "finished"),
        IdleWhatIf.class, Set.of("closed", "finished", "advanceTo"));

    @Test
    void eachBuiltInPartOverridesExactlyTheEventsTheStageTellsIt() {
        Set<String> events = new TreeSet<>();
        for (Method m : Part.class.getDeclaredMethods()) events.add(m.getName());
        for (var e : DISPATCHED.entrySet()) {
            Set<String> overridden = new TreeSet<>();
            for (Method m : e.getKey().getDeclaredMethods()) {
                boolean isPartMethod = Arrays.stream(Part.class.getDeclaredMethods())
                    .anyMatch(p -> p.getName().equals(m.getName())
                        && Arrays.equals(p.getParameterTypes(), m.getParameterTypes()));
                if (isPartMethod && DIRECT.contains(m.getName())) overridden.add(m.getName());
            }
            assertEquals(new TreeSet<>(e.getValue()), overridden, e.getKey().getSimpleName()
                + ": an event it overrides is not called by TimeWaitStage directly, or the reverse");
        }
        assertEquals(Set.of("onSegment", "closed", "timeWaitStarted", "tupleReused", "finished", "advanceTo",
            "endOfInput", "finish", "discardHeld", "warning"), events, "a new event: dispatch it in TimeWaitStage");
    }
}
