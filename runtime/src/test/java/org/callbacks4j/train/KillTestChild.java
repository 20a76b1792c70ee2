package org.callbacks4j.train;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.callbacks4j.internal.io.EventFiles;

/**
 * The child process of {@link KillTest}: trains {@link ResumeScenario} with {@link BackupTraining} (backups every few
 * batches, kept at the end), printing its progress, and writes the final parameters and History under
 * {@code <root>/result} before printing {@code done}.
 *
 * <p>Arguments: {@code root epochs backupFreq pauseKind pauseFrom pauseMillis data}; {@code data} is {@code -} for
 * the in-memory data set, or the folder of gzipped .npy files to stream ({@link ResumeScenario#trainStreamed}).
 * Every atomic write prints {@code writing <folder> <file>} before its rename; the {@code pauseFrom}-th and later
 * writes into the folder named {@code pauseKind} ({@code backup}, {@code ckpt}, or {@code none}) then sleep
 * {@code pauseMillis}, so that a SIGKILL sent on that line lands between the temporary file's completion and its
 * rename.
 */
public final class KillTestChild {

    private KillTestChild() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        int epochs = Integer.parseInt(args[1]);
        int backupFreq = Integer.parseInt(args[2]);
        String pauseKind = args[3];
        int pauseFrom = Integer.parseInt(args[4]);
        long pauseMillis = Long.parseLong(args[5]);
        Path data = args.length > 6 && !args[6].equals("-") ? Path.of(args[6]) : null;
        int[] writes = {0};
        EventFiles.beforeAtomicRename(target -> {
            String folder = target.getParent().getFileName().toString();
            System.out.println("writing " + folder + " " + target.getFileName());
            System.out.flush();
            if (folder.equals(pauseKind) && ++writes[0] >= pauseFrom) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        System.out.println("started");
        System.out.flush();
        BackupTraining callbacks = new BackupTraining(root, backupFreq, 50, false).printProgress(System.out);
        String[] result = data == null ? ResumeScenario.trainQuietly(epochs, callbacks)
                : ResumeScenario.trainStreamed(epochs, callbacks, data);
        EventFiles.beforeAtomicRename(null);
        Path out = Files.createDirectories(root.resolve("result"));
        Files.writeString(out.resolve("params.txt"), result[0], StandardCharsets.US_ASCII);
        Files.writeString(out.resolve("history.txt"), result[1], StandardCharsets.US_ASCII);
        System.out.println("done");
        System.out.flush();
    }
}
