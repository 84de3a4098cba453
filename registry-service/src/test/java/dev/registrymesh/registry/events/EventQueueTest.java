package dev.registrymesh.registry.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk event log: group commit, order, crash safety, the byte bound. */
class EventQueueTest {
    @TempDir
    Path dir;

    static byte[] json(String s) {
        return ("{\"id\":\"" + s + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static List<String> ids(EventQueue.Batch batch) {
        return batch.events().stream().map(e -> new String(e, StandardCharsets.UTF_8).replaceAll("\\{\"id\":\"(.*)\"}", "$1")).toList();
    }

    static List<byte[]> group(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> json(prefix + i)).toList();
    }

    static List<String> names(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    private Path lastSegment() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }

    @Test
    void eventsComeOutInOrderAcrossSegmentsAndDeliveredSegmentsAreDeleted() {
        // Segments of about 10 events force several rolls.
        EventQueue q = new EventQueue(dir, true, 1 << 20, 10 * (EventQueue.HEADER + json("a0").length));
        List<String> all = new ArrayList<>();
        for (int g = 0; g < 7; g++) {
            q.append(group("g" + g + "-", 6));
            all.addAll(names("g" + g + "-", 6));
        }
        assertEquals(42, q.size());
        assertTrue(q.segmentCount() >= 4, "rolled: " + q.segmentCount());
        List<String> read = new ArrayList<>();
        while (q.size() > 0) {
            EventQueue.Batch b = q.peek(8);
            read.addAll(ids(b));
            q.remove(b);
        }
        assertEquals(all, read);
        assertEquals(0, q.bytes());
        assertTrue(q.segmentCount() <= 2, "delivered segments are deleted: " + q.segmentCount());
        q.append(group("late", 2));
        assertEquals(names("late", 2), ids(q.peek(10)));
        q.close();
    }

    @Test
    void aReopenedQueueResumesAfterTheDeliveredEvents() {
        EventQueue q = new EventQueue(dir, true, 1 << 20, 1 << 20);
        q.append(group("a", 5));
        q.remove(q.peek(3));
        q.close();
        EventQueue again = new EventQueue(dir, true, 1 << 20, 1 << 20);
        assertEquals(2, again.size());
        assertEquals(List.of("a3", "a4"), ids(again.peek(10)));
        again.close();
    }

    @Test
    void aTornCursorMeansResendingNotLosing() throws Exception {
        EventQueue q = new EventQueue(dir, true, 1 << 20, 1 << 20);
        q.append(group("a", 5));
        q.remove(q.peek(3));
        q.close();
        Files.writeString(dir.resolve("cursor"), "12");
        EventQueue again = new EventQueue(dir, true, 1 << 20, 1 << 20);
        assertEquals(names("a", 5), ids(again.peek(10)), "everything still on disk is sent again; the receiver deduplicates");
        again.close();
    }

    @Test
    void aCrashLeavesWholeEventsOrNothing() throws Exception {
        EventQueue q = new EventQueue(dir, true, 1 << 20, 1 << 20);
        q.append(group("a", 3));
        q.close();
        Path segment = lastSegment();
        long whole = Files.size(segment);
        // A torn group: one whole record whose payload never reached the disk right (bad checksum), then half a header.
        byte[] payload = json("torn");
        ByteBuffer torn = ByteBuffer.allocate(EventQueue.HEADER + payload.length + 3);
        torn.putInt(payload.length).putInt(12345).put(payload).put(new byte[] {0, 0, 1});
        try (FileChannel out = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            out.write(torn.flip());
        }
        Files.writeString(dir.resolve("cursor.tmp"), "half");

        EventQueue again = new EventQueue(dir, true, 1 << 20, 1 << 20);
        assertEquals(3, again.size());
        assertEquals(whole, Files.size(segment), "the torn tail is cut off");
        assertFalse(Files.exists(dir.resolve("cursor.tmp")), "leftover temp files are removed");
        again.append(group("b", 2));
        assertEquals(List.of("a0", "a1", "a2", "b0", "b1"), ids(again.peek(10)));
        again.close();

        // A record cut mid-payload (length says more than the file holds) is cut off just the same.
        try (FileChannel out = FileChannel.open(segment, StandardOpenOption.APPEND)) {
            out.write(ByteBuffer.allocate(EventQueue.HEADER + 4).putInt(500).putInt(0).put("{\"id".getBytes(StandardCharsets.UTF_8)).flip());
        }
        EventQueue third = new EventQueue(dir, true, 1 << 20, 1 << 20);
        assertEquals(5, third.size());
        assertEquals(List.of("a0", "a1", "a2", "b0", "b1"), ids(third.peek(10)));
        third.close();
    }

    @Test
    void aFullQueueRefusesWhatDoesNotFitCountsItAndTakesEventsAgainOnceDrained() throws Exception {
        int record = EventQueue.HEADER + json("a0").length;
        EventQueue q = new EventQueue(dir, true, 10L * record, 1 << 20);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EventQueueStats stats = new EventQueueStats(q).bind(meters);
        EventWriter writer = new EventWriter(q, e -> json(e.tag()), stats, 1000, () -> { });
        try {
            List<CompletableFuture<Boolean>> acks = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                acks.add(writer.append(EventSenderTest.event("push", "alice/app", "a" + i)));
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            assertEquals(10, acks.stream().filter(CompletableFuture::join).count(), "what fits is stored");
            assertFalse(acks.get(13).join(), "what does not fit is refused, and the caller is told");
            assertEquals(4, stats.dropped(EventQueueStats.Reason.FULL));
            assertEquals(EventQueueStats.Reason.FULL, stats.refusing());
            assertEquals(4.0, meters.get("registry.events.dropped").tag("reason", "full").counter().count());
            assertEquals(1.0, meters.get("registry.events.queue.full").gauge().value());
            assertEquals(10.0 * record, meters.get("registry.events.queue.bytes").gauge().value());
            assertEquals(10.0, meters.get("registry.events.queue.events").gauge().value());
            assertEquals(names("a", 10), ids(q.peek(20)), "nothing stored is lost");

            q.remove(q.peek(5));
            assertTrue(writer.append(EventSenderTest.event("push", "alice/app", "b0")).get(10, TimeUnit.SECONDS));
            assertNull(stats.refusing(), "the episode ends once the queue has drained below 90%");
            assertEquals(0.0, meters.get("registry.events.queue.full").gauge().value());
            assertEquals(List.of("a5", "a6", "a7", "a8", "a9", "b0"), ids(q.peek(20)));
        } finally {
            writer.close();
            q.close();
        }
    }

    @Test
    void eventsThatArriveTogetherShareOneFsync() throws Exception {
        EventQueue q = new EventQueue(dir, true, 1 << 30, 64 << 20);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EventQueueStats stats = new EventQueueStats(q).bind(meters);
        EventWriter writer = new EventWriter(q, e -> json(e.tag()), stats, 100_000, () -> { });
        int producers = 8;
        int each = 2_000;
        List<List<CompletableFuture<Boolean>>> acks = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            List<CompletableFuture<Boolean>> mine = new ArrayList<>();
            acks.add(mine);
            int id = p;
            Thread t = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    mine.add(writer.append(EventSenderTest.event("pull", "alice/app", "p" + id + "-" + i)));
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        for (List<CompletableFuture<Boolean>> mine : acks) {
            for (CompletableFuture<Boolean> ack : mine) {
                assertTrue(ack.get(30, TimeUnit.SECONDS));
            }
        }
        writer.close();
        long groups = meters.get("registry.events.commit").timer().count();
        assertEquals(producers * each, stats.written());
        assertTrue(groups < producers * each / 4, "one fsync per group, not per event: " + groups + " fsyncs");
        // Each producer's events keep their order.
        List<String> all = ids(q.peek(producers * each));
        for (int p = 0; p < producers; p++) {
            String prefix = "p" + p + "-";
            assertEquals(names(prefix, each), all.stream().filter(s -> s.startsWith(prefix)).toList());
        }
        q.close();
    }

    @Test
    void eventsOfTheOneFilePerEventFormatAreMovedIntoTheLog() throws Exception {
        Files.write(dir.resolve("00000000000000000001.json"), json("old1"));
        Files.write(dir.resolve("00000000000000000000.json"), json("old0"));
        EventQueue q = new EventQueue(dir, true, 1 << 20, 1 << 20);
        assertEquals(List.of("old0", "old1"), ids(q.peek(10)));
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".json")));
        }
        q.close();
    }
}
