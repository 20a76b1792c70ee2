package org.callbacks4j.dl4j;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a training class fitted on a DL4J network with {@link Dl4jTrainer}: DL4J's evaluators add {@code precision},
 * {@code recall}, {@code f1} and {@code auc} (and their {@code val_} values) to the metric names javac accepts in a
 * {@code monitor} or a checkpoint path, each better when larger. Without it those names are compile errors
 * ({@code [callbacks4j/UnknownMetric]}), as in a class for the callbacks4j trainer, which does not produce them.
 *
 * <p>Which of them a fit computes is chosen at run time with {@link Dl4jFit#metrics(String...)}, as the
 * callbacks4j trainer's compiled metrics are; a monitor naming one the fit does not compute is rejected before the
 * first epoch.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface Dl4jMetrics {}
