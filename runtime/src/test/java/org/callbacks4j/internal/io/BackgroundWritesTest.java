package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundWritesTest {

    @Test
    void writesRunOffTheCallersThreadAndDrainWaitsForThem() throws Exception {
        BackgroundWrites writes = new BackgroundWrites();
        Thread caller = Thread.currentThread();
        CountDownLatch release = new CountDownLatch(1);
        List<String> done = new CopyOnWriteArrayList<>();
        writes.submit("first", () -> {
            assertThat(Thread.currentThread()).isNotSameInstanceAs(caller);
            await(release);
            done.add("first");
        });
        // submit returned while the write is still blocked: it does not run on the training thread.
        assertThat(done).isEmpty();
        release.countDown();
        writes.drain();
        assertThat(done).containsExactly("first");
    }

    @Test
    void writesRunOneAtATimeInOrder() throws Exception {
        BackgroundWrites writes = new BackgroundWrites();
        List<String> events = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            String name = "w" + i;
            writes.submit(name, () -> {
                events.add("start " + name);
                sleep(5);
                events.add("end " + name);
            });
        }
        writes.drain();
        assertThat(events).containsExactly("start w0", "end w0", "start w1", "end w1", "start w2", "end w2",
                "start w3", "end w3", "start w4", "end w4").inOrder();
    }

    @Test
    void aFailedWriteIsReportedByTheNextSubmitNamingItsFileAndTheNextIsNotStarted() throws Exception {
        BackgroundWrites writes = new BackgroundWrites();
        writes.submit("checkpoint /runs/best.zip (epoch 3)", () -> {
            throw new IOException("No space left on device");
        });
        List<String> ran = new CopyOnWriteArrayList<>();
        IOException e = assertThrows(IOException.class, () -> writes.submit("next", () -> ran.add("next")));
        assertThat(e).hasMessageThat()
                .isEqualTo("checkpoint /runs/best.zip (epoch 3) was not written: java.io.IOException: "
                        + "No space left on device");
        writes.drain(); // reported once
        assertThat(ran).isEmpty();
    }

    @Test
    void drainReportsAFailedLastWrite() throws Exception {
        BackgroundWrites writes = new BackgroundWrites();
        writes.submit("checkpoint /runs/last.zip (epoch 9)", () -> {
            throw new IOException("Read-only file system");
        });
        IOException e = assertThrows(IOException.class, writes::drain);
        assertThat(e).hasMessageThat().startsWith("checkpoint /runs/last.zip (epoch 9) was not written");
    }

    private static void await(CountDownLatch latch) throws IOException {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) {
                throw new IOException("not released");
            }
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }
}
