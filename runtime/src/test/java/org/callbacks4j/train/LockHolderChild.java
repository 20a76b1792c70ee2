package org.callbacks4j.train;

import java.nio.file.Path;
import org.callbacks4j.internal.train.OutputLock;

/** A process that takes the {@link OutputLock} of the path in its argument, prints "locked", and waits to be killed. */
public final class LockHolderChild {

    private LockHolderChild() {}

    public static void main(String[] args) throws Exception {
        OutputLock.acquire(Path.of(args[0]), "test");
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
