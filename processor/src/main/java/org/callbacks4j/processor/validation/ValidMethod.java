package org.callbacks4j.processor.validation;

import javax.lang.model.element.ExecutableElement;
import org.callbacks4j.processor.model.HookCall;

/** A policy method that passed its own checks, with the call generated code makes. */
record ValidMethod(ExecutableElement method, MethodAnnotations annotations, HookCall call) {}
