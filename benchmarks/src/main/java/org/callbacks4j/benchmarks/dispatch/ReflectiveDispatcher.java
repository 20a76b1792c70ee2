package org.callbacks4j.benchmarks.dispatch;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.callbacks4j.Logs;
import org.callbacks4j.TrainingContext;
import org.callbacks4j.internal.dispatch.CallbackDispatcher;
import org.callbacks4j.CallbackException;
import org.callbacks4j.internal.dispatch.Hooks;
import org.callbacks4j.model.Sequential;

/**
 * The reflection reference: a dispatcher as a runtime-reflection framework would write it, as well as one can. The
 * hook methods are found once (by their RUNTIME {@link RuntimeHook} annotation), made accessible, and kept as cached
 * {@link Method} objects with a precomputed parameter plan; a call builds the argument array and runs
 * {@link Method#invoke}, as frameworks do (a shared array would break when a hook dispatches again, or another thread
 * does; {@code int}s are boxed by {@link Integer#valueOf}). It reports the same {@link #hooks()} bits as generated code,
 * so the trainer skips the same phases: the comparison is about the calls alone.
 */
public final class ReflectiveDispatcher implements CallbackDispatcher {

    private static final byte EPOCH = 0;
    private static final byte BATCH = 1;
    private static final byte LOGS = 2;
    private static final byte CONTEXT = 3;
    private static final byte MODEL = 4;

    private final Object target;
    private final int hooks;
    private final Invoker[] trainBegin;
    private final Invoker[] trainEnd;
    private final Invoker[] epochBegin;
    private final Invoker[] epochEnd;
    private final Invoker[] batchBegin;
    private final Invoker[] batchEnd;
    private final Invoker[] validationEnd;

    public ReflectiveDispatcher(Object target) {
        this.target = target;
        List<Method> methods = new ArrayList<>();
        for (Class<?> c = target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(RuntimeHook.class)) {
                    m.setAccessible(true);
                    methods.add(m);
                }
            }
        }
        // getDeclaredMethods has no defined order; a framework has to pick one.
        methods.sort(Comparator.comparing(Method::getName));
        trainBegin = invokers(methods, Hooks.TRAIN_BEGIN);
        trainEnd = invokers(methods, Hooks.TRAIN_END);
        epochBegin = invokers(methods, Hooks.EPOCH_BEGIN);
        epochEnd = invokers(methods, Hooks.EPOCH_END);
        batchBegin = invokers(methods, Hooks.BATCH_BEGIN);
        batchEnd = invokers(methods, Hooks.BATCH_END);
        validationEnd = invokers(methods, Hooks.VALIDATION_END);
        int mask = 0;
        mask |= trainBegin.length > 0 ? Hooks.TRAIN_BEGIN : 0;
        mask |= trainEnd.length > 0 ? Hooks.TRAIN_END : 0;
        mask |= epochBegin.length > 0 ? Hooks.EPOCH_BEGIN : 0;
        mask |= epochEnd.length > 0 ? Hooks.EPOCH_END : 0;
        mask |= batchBegin.length > 0 ? Hooks.BATCH_BEGIN : 0;
        mask |= batchEnd.length > 0 ? Hooks.BATCH_END : 0;
        mask |= validationEnd.length > 0 ? Hooks.VALIDATION_END : 0;
        for (Invoker i : batchEnd) {
            for (byte kind : i.plan) {
                if (kind == LOGS) {
                    mask |= Hooks.BATCH_LOGS;
                }
            }
        }
        this.hooks = mask;
    }

    private static Invoker[] invokers(List<Method> methods, int hook) {
        List<Invoker> found = new ArrayList<>();
        for (Method m : methods) {
            if (m.getAnnotation(RuntimeHook.class).value() == hook) {
                found.add(new Invoker(m));
            }
        }
        return found.toArray(new Invoker[0]);
    }

    @Override
    public int hooks() {
        return hooks;
    }

    @Override
    public void onTrainBegin(TrainingContext context) {
        call(trainBegin, -1, -1, null, context);
    }

    @Override
    public void onTrainEnd(Logs logs, TrainingContext context) {
        call(trainEnd, -1, -1, logs, context);
    }

    @Override
    public void onEpochBegin(int epoch, TrainingContext context) {
        call(epochBegin, epoch, -1, null, context);
    }

    @Override
    public void onEpochEnd(int epoch, Logs logs, TrainingContext context) {
        call(epochEnd, epoch, -1, logs, context);
    }

    @Override
    public void onBatchBegin(int epoch, int batch, TrainingContext context) {
        call(batchBegin, epoch, batch, null, context);
    }

    @Override
    public void onBatchEnd(int epoch, int batch, Logs logs, TrainingContext context) {
        call(batchEnd, epoch, batch, logs, context);
    }

    @Override
    public void onValidationEnd(int epoch, Logs logs, TrainingContext context) {
        call(validationEnd, epoch, -1, logs, context);
    }

    private void call(Invoker[] invokers, int epoch, int batch, Logs logs, TrainingContext context) {
        for (Invoker invoker : invokers) {
            byte[] plan = invoker.plan;
            Object[] args = new Object[plan.length];
            for (int k = 0; k < plan.length; k++) {
                args[k] = switch (plan[k]) {
                    case EPOCH -> epoch;
                    case BATCH -> batch;
                    case LOGS -> logs;
                    case CONTEXT -> context;
                    default -> context.model();
                };
            }
            try {
                invoker.method.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new CallbackException(invoker.method.toString(), (Exception) cause);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static final class Invoker {
        final Method method;
        final byte[] plan;

        Invoker(Method method) {
            this.method = method;
            Parameter[] params = method.getParameters();
            plan = new byte[params.length];
            for (int k = 0; k < params.length; k++) {
                Class<?> type = params[k].getType();
                if (type == int.class) {
                    if (!params[k].isNamePresent()) {
                        throw new IllegalStateException(method + ": compile with -parameters so int parameters can "
                                + "be told apart by name");
                    }
                    plan[k] = params[k].getName().equals("batch") ? BATCH : EPOCH;
                } else if (type == Logs.class) {
                    plan[k] = LOGS;
                } else if (type == TrainingContext.class) {
                    plan[k] = CONTEXT;
                } else if (type == Sequential.class) {
                    plan[k] = MODEL;
                } else {
                    throw new IllegalStateException(method + ": unsupported parameter type " + type.getName());
                }
            }
        }
    }
}
