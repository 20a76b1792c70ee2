package org.callbacks4j.internal.io;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background force: it never loses a failure, and {@code now} waits for what is queued. */
class BackgroundForceTest {

    @TempDir
    Path dir;

    @Test
    void aFailedBackgroundForceIsReportedOnTheTrainingThreadByTheNextCall() throws IOException {
        Path file = dir.resolve("log.csv");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        BackgroundForce force = new BackgroundForce(channel, "CSV log " + file);
        channel.close(); // the queued force fails on a closed channel, on the background thread

        force.later();
        force.awaitPending();

        IOException e = assertThrows(IOException.class, force::later);
        assertThat(e).hasMessageThat().contains("cannot force CSV log " + file + " to the device");
        assertThrows(IOException.class, force::now);
    }

    @Test
    void nowForcesWhatWasWrittenAfterTheQueuedForce() throws IOException {
        Path file = dir.resolve("events");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            BackgroundForce force = new BackgroundForce(channel, "event file " + file);
            channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            force.later();
            channel.write(ByteBuffer.wrap(new byte[] {4}));

            force.now(); // no failure, and the queued force has finished

            assertThat(Files.readAllBytes(file)).isEqualTo(new byte[] {1, 2, 3, 4});
        }
    }
}
