package dev.teardown.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The merger's table of connection numbers agrees with a HashMap through growth, collisions and deletions. */
class NumberTableTest {

    @Test
    void randomPutsAndRemovesAgreeWithAHashMap() {
        Random random = new Random(42);
        NumberTable table = new NumberTable();
        Map<Long, Long> expected = new HashMap<>();
        List<Long> held = new ArrayList<>();
        long nextKey = 0;
        for (int step = 0; step < 200_000; step++) {
            if (held.isEmpty() || random.nextInt(100) < 52) {
                // Increasing first packets, as the merger numbers them; gaps make keys collide in the table.
                nextKey += 1 + random.nextInt(random.nextBoolean() ? 3 : 5000);
                table.put(nextKey, step);
                expected.put(nextKey, (long) step);
                held.add(nextKey);
            } else {
                long key = held.remove(random.nextInt(held.size()));
                assertEquals(expected.remove(key), table.remove(key), "key " + key);
            }
            assertEquals(expected.size(), table.size());
        }
        for (long key : held) assertEquals(expected.get(key), table.remove(key));
        assertEquals(0, table.size());
    }

    @Test
    void aKeyNeverPutOrAlreadyRemovedIsMinusOne() {
        NumberTable table = new NumberTable();
        table.put(7, 1);
        assertEquals(-1, table.remove(8));
        assertEquals(1, table.remove(7));
        assertEquals(-1, table.remove(7));
    }
}
