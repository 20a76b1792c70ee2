package org.callbacks4j.train;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.callbacks4j.History;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.model.Sequential;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two fits on the same output paths, or on the same model object, at the same time: the second fails at once, before
 * any training work, naming the path and the holder; the locks go when a fit ends, also by an exception (issue 11).
 * Two processes on one run folder: {@link KillTest}.
 */
@Tag("reliability")
class FitLocksTest {

    @TempDir
    Path dir;

    /** Holds the fit inside its first epoch until released (also used by {@link StreamingResumeTest}). */
    static final class Holder implements CallbackDispatcher {
        final CountDownLatch inEpoch = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public int hooks() {
            return Hooks.EPOCH_BEGIN;
        }

        @Override
        public void onEpochBegin(int epoch, TrainingContext context) {
            inEpoch.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts a fit of {@code model} with {@code callbacks} on another thread, held in its first epoch. */
    private static CompletableFuture<History> heldFit(Holder holder, Sequential model, Object... callbacks)
            throws InterruptedException {
        Object[] all = new Object[callbacks.length + 1];
        all[0] = holder;
        System.arraycopy(callbacks, 0, all, 1, callbacks.length);
        CompletableFuture<History> first = CompletableFuture.supplyAsync(
                () -> ResumeScenario.trainer().fit(model, ResumeScenario.DATA, ResumeScenario.fit(2), all));
        assertThat(holder.inEpoch.await(60, TimeUnit.SECONDS)).isTrue();
        return first;
    }

    @Test
    void aSecondFitOnTheSamePathsInAnotherThreadFailsAtOnceAndTrainsNothing() throws Exception {
        Holder holder = new Holder();
        CompletableFuture<History> first = heldFit(holder, ResumeScenario.model(), new BackupTraining(dir, 4, 50));

        Sequential second = ResumeScenario.model();
        float[] before = second.params().toFloatVector();
        RecordingDispatcher recorder = new RecordingDispatcher(RecordingDispatcher.ALL);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ResumeScenario.trainer().fit(second, ResumeScenario.DATA, ResumeScenario.fit(2), recorder,
                        new BackupTraining(dir, 4, 50)));
        assertThat(refused.getMessage()).contains("is in use by another fit: process "
                + ProcessHandle.current().pid());
        assertThat(refused.getMessage()).contains(", in this JVM holds its lock");
        assertThat(refused.getMessage()).contains("wait for that fit to end, or give this one other paths");
        assertThat(refused.getMessage()).contains(dir.toString());
        assertThat(recorder.events()).isEmpty();
        assertThat(second.params().toFloatVector()).isEqualTo(before);

        holder.release.countDown();
        History history = first.get(120, TimeUnit.SECONDS);
        assertThat(history.epochs()).containsExactly(0, 1).inOrder();
        // The first fit ended: its paths are free again (and its run is complete: this fit returns it).
        Holder released = new Holder();
        released.release.countDown();
        History again = ResumeScenario.trainer().fit(ResumeScenario.model(), ResumeScenario.DATA,
                ResumeScenario.fit(2), released, new BackupTraining(dir, 4, 50));
        assertThat(again.epochs()).containsExactly(0, 1).inOrder();
    }

    @Test
    void eachOutputPathIsLockedOnItsOwn() throws Exception {
        Holder holder = new Holder();
        CompletableFuture<History> first = heldFit(holder, ResumeScenario.model(), new BackupTraining(dir, 4, 50));
        // Another training whose only shared path is the CSV file.
        org.callbacks4j.internal.policy.CsvLoggerPolicy csv = new org.callbacks4j.internal.policy.CsvLoggerPolicy(dir.resolve("history.csv")
                .toString(), ",", false);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ResumeScenario.trainer().fit(ResumeScenario.model(), ResumeScenario.DATA, ResumeScenario.fit(1),
                        new org.callbacks4j.internal.policy.PolicyDispatcher().csv(csv)));
        assertThat(refused.getMessage()).startsWith("@CsvLogger file " + dir.resolve("history.csv")
                + " is in use by another fit");
        holder.release.countDown();
        first.get(120, TimeUnit.SECONDS);
    }

    @Test
    void aSecondFitOfTheSameModelObjectIsRefused() throws Exception {
        Holder holder = new Holder();
        Sequential model = ResumeScenario.model();
        CompletableFuture<History> first = heldFit(holder, model);
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> ResumeScenario.trainer().fit(model, ResumeScenario.DATA, ResumeScenario.fit(1)));
        assertThat(refused.getMessage()).isEqualTo("this model is being trained by another fit (in another thread); "
                + "one fit at a time per model: wait for it to end, or train a copy (model.copy())");
        holder.release.countDown();
        first.get(120, TimeUnit.SECONDS);
        // Free again once the first fit ended.
        assertThat(ResumeScenario.trainer().fit(model, ResumeScenario.DATA, ResumeScenario.fit(1)).epochs())
                .containsExactly(0);
    }

    @Test
    void locksAreReleasedWhenAFitFailsAndTheLockFileNamesNoHolderAfterwards() throws Exception {
        assertThrows(BackupTraining.Crash.class, () -> ResumeScenario.train(dir, 2,
                new BackupTraining(dir, 4, 50).crashAt(1, 3)));
        Path lockFile = dir.resolve(".backup.lock");
        assertThat(Files.exists(lockFile)).isTrue();
        assertThat(Files.size(lockFile)).isEqualTo(0);
        // The same paths, right away, in this thread: the crashed fit released them; this one resumes.
        History resumed = ResumeScenario.trainer().fit(ResumeScenario.model(), ResumeScenario.DATA,
                ResumeScenario.fit(2), new BackupTraining(dir, 4, 50));
        assertThat(resumed.epochs()).containsExactly(0, 1).inOrder();
    }

    @Test
    void aLockHeldByAnotherProcessNamesItsProcessIdAndHost() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockHolderChild.class.getName(), dir.resolve("backup").toString()).redirectErrorStream(true).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream())).readLine();
            assertThat(line).isEqualTo("locked");
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> ResumeScenario.trainer().fit(ResumeScenario.model(), ResumeScenario.DATA,
                            ResumeScenario.fit(1), new BackupTraining(dir, 4, 50)));
            assertThat(refused.getMessage()).contains("@BackupAndRestore folder " + dir.resolve("backup")
                    + " is in use by another fit: process " + child.pid() + " on ");
            assertThat(refused.getMessage()).doesNotContain("in this JVM");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        // Killed without releasing: the OS dropped its lock with the process, and the next fit takes it over.
        assertThat(ResumeScenario.trainer().fit(ResumeScenario.model(), ResumeScenario.DATA, ResumeScenario.fit(1),
                new BackupTraining(dir, 4, 50)).epochs()).containsExactly(0);
    }
}
