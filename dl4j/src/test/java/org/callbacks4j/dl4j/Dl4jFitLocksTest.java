package org.callbacks4j.dl4j;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.callbacks4j.BackupAndRestore;
import org.callbacks4j.CsvLogger;
import org.callbacks4j.History;
import org.callbacks4j.OnBatchBegin;
import org.callbacks4j.OnEpochBegin;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Two DL4J fits at once on the same output path, or on the same network object: the second is refused before any
 * batch, naming the path and the fit that holds it, with the runtime trainer's locks and messages; the locks go when
 * the first fit ends.
 */
class Dl4jFitLocksTest {

    static final String DIR = "target/dl4j-tests/locks";

    /** Holds its fit at the start of the first epoch until released. */
    abstract static class Holding {
        final CountDownLatch inEpoch = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @OnEpochBegin
        void hold(int epoch) throws InterruptedException {
            if (epoch == 0) {
                inEpoch.countDown();
                release.await(60, TimeUnit.SECONDS);
            }
        }
    }

    @BackupAndRestore(DIR + "/backup")
    @CsvLogger(DIR + "/history.csv")
    static class First extends Holding {}

    /** Counts the batches it sees: a refused fit must see none. */
    @BackupAndRestore(DIR + "/backup")
    static class Second {
        int batches;

        @OnBatchBegin
        void batch() {
            batches++;
        }
    }

    static class Plain extends Holding {}

    static class Counting {
        int batches;

        @OnBatchBegin
        void batch() {
            batches++;
        }
    }

    private static CompletableFuture<History> held(Holding holder, Supplier<History> fit) throws InterruptedException {
        CompletableFuture<History> first = CompletableFuture.supplyAsync(fit);
        assertThat(holder.inEpoch.await(60, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    @Test
    void aSecondFitOnTheSameBackupFolderIsRefusedNamingTheHolder() throws Exception {
        Path dir = Nets.clean(DIR);
        First first = new First();
        CompletableFuture<History> running = held(first, () -> Dl4jTrainer.fit(Nets.mlp(1e-2), Nets.train(),
                Dl4jFit.epochs(1).verbose(0), first));
        try {
            MultiLayerNetwork other = Nets.mlp(1e-2);
            Second second = new Second();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Dl4jTrainer.fit(other, Nets.train(), Dl4jFit.epochs(1).verbose(0), second));

            assertThat(e).hasMessageThat().startsWith("@BackupAndRestore folder "
                    + dir.resolve("backup").toAbsolutePath().normalize() + " is in use by another fit: process "
                    + ProcessHandle.current().pid());
            assertThat(e).hasMessageThat().contains(", in this JVM holds its lock "
                    + dir.toAbsolutePath().normalize().resolve(".backup.lock"));
            assertThat(e).hasMessageThat().contains("give this one other paths");
            assertThat(second.batches).isEqualTo(0);
            assertThat(other.getIterationCount()).isEqualTo(0);

            // A SameDiff fit is refused the same way: one registry for every network kind (and the runtime's).
            SameDiff sd = Nets.sameDiff(1e-2);
            IllegalStateException graph = assertThrows(IllegalStateException.class, () -> Dl4jTrainer.fit(sd,
                    Nets.SD_OUTPUT, Nets.train(), Dl4jFit.epochs(1).verbose(0), new Second()));
            assertThat(graph).hasMessageThat().isEqualTo(e.getMessage().replaceAll(
                    "since [^)]*\\)", "since " + between(graph.getMessage(), "since ", ")") + ")"));
            assertThat(sd.getTrainingConfig().getIterationCount()).isEqualTo(0);
        } finally {
            first.release.countDown();
        }
        assertThat(running.get(60, TimeUnit.SECONDS).epochs()).containsExactly(0);

        // The first fit ended: its locks went with it (its completion record goes too, to start a new run).
        Nets.clean(DIR + "/backup");
        Second after = new Second();
        Dl4jTrainer.fit(Nets.mlp(1e-2), Nets.train(), Dl4jFit.epochs(1).verbose(0), after);
        assertThat(after.batches).isEqualTo(10);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from));
    }

    @Test
    void aNetworkInOneFitIsRefusedToASecondFit() throws Exception {
        MultiLayerNetwork net = Nets.mlp(1e-2);
        Plain first = new Plain();
        CompletableFuture<History> running = held(first,
                () -> Dl4jTrainer.fit(net, Nets.train(), Dl4jFit.epochs(1).verbose(0), first));
        try {
            Counting second = new Counting();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Dl4jTrainer.fit(net, Nets.train(), Dl4jFit.epochs(1).verbose(0), second));
            assertThat(e).hasMessageThat().isEqualTo("this MultiLayerNetwork is being trained by another fit (in "
                    + "another thread); one fit at a time per network: wait for it to end, or train a copy "
                    + "(net.clone())");
            assertThat(second.batches).isEqualTo(0);
        } finally {
            first.release.countDown();
        }
        running.get(60, TimeUnit.SECONDS);
        assertThat(net.getIterationCount()).isEqualTo(10);
        Counting again = new Counting();
        Dl4jTrainer.fit(net, Nets.train(), Dl4jFit.epochs(1).verbose(0), again);
        assertThat(again.batches).isEqualTo(10);
    }

    @Test
    void aSameDiffGraphInOneFitIsRefusedToASecondFit() throws Exception {
        SameDiff sd = Nets.sameDiff(1e-2);
        Plain first = new Plain();
        CompletableFuture<History> running = held(first,
                () -> Dl4jTrainer.fit(sd, Nets.SD_OUTPUT, Nets.train(), Dl4jFit.epochs(1).verbose(0), first));
        try {
            Counting second = new Counting();
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Dl4jTrainer.fit(sd, Nets.SD_OUTPUT, Nets.train(), Dl4jFit.epochs(1).verbose(0), second));
            assertThat(e).hasMessageThat().contains("this SameDiff graph is being trained by another fit");
            assertThat(e).hasMessageThat().contains("sd.dup()");
            assertThat(second.batches).isEqualTo(0);
        } finally {
            first.release.countDown();
        }
        running.get(60, TimeUnit.SECONDS);
        assertThat(sd.getTrainingConfig().getIterationCount()).isEqualTo(10);
    }
}
