package org.callbacks4j.processor;

import com.palantir.javapoet.ClassName;
import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic.Kind;
import org.callbacks4j.processor.model.Hook;
import org.callbacks4j.processor.validation.Message;
import org.callbacks4j.processor.validation.PolicyAnnotations;

/**
 * Finds callbacks4j annotations on methods of local and anonymous classes, which javac never shows to annotation
 * processors (they are not members of any element) and which generated code could not reach anyway. Without this
 * check such a hook would be silently ignored until {@code fit} failed to find its dispatcher.
 *
 * <p>It reads the source through javac's tree API, before attribution, so annotation names are matched as written:
 * the simple name with an import of the annotation or of {@code org.callbacks4j.*}, or the qualified name. It scans
 * the compilation units of every processing round the processor takes part in, and, through a javac task listener,
 * every unit javac analyzes: the processor declares only the callbacks4j annotation types, so javac does not call it
 * for a source whose only callbacks4j annotations sit in local classes. The environment build tools wrap (Gradle,
 * IntelliJ) is unwrapped first ({@link JavacEnvironment}); where no javac environment can be found, a NOTE says that
 * this check is skipped, and nothing else changes.
 */
final class LocalClassScanner {

    private static final Map<String, ClassName> ANNOTATIONS = Stream.concat(
                    Stream.of(Hook.values()).map(Hook::annotation), PolicyAnnotations.ALL.stream())
            .filter(name -> name.enclosingClassName() == null) // not the containers of repeated annotations
            .collect(Collectors.toUnmodifiableMap(ClassName::simpleName, Function.identity()));

    private final ProcessingEnvironment env;
    private final Trees trees;
    private final Set<CompilationUnitTree> scanned = new HashSet<>();

    LocalClassScanner(ProcessingEnvironment env) {
        this.env = env;
        Optional<ProcessingEnvironment> javac = JavacEnvironment.unwrap(env);
        this.trees = javac.map(Trees::instance).orElse(null);
        if (javac.isPresent()) {
            listen(javac.get());
        } else {
            env.getMessager().printMessage(Kind.NOTE,
                    Message.LOCAL_CLASS_SCAN_SKIPPED.format(env.getClass().getName()));
        }
    }

    /** Scans each compilation unit when javac starts analyzing it, also those no processing round showed us. */
    private void listen(ProcessingEnvironment javac) {
        try {
            JavacTask.instance(javac).addTaskListener(new TaskListener() {
                @Override
                public void started(TaskEvent event) {
                    if (event.getKind() == TaskEvent.Kind.ANALYZE && event.getCompilationUnit() != null) {
                        try {
                            scan(event.getCompilationUnit());
                        } catch (RuntimeException | Error e) {
                            new Diagnostics(env).crash(null, "the local class scan", e);
                        }
                    }
                }
            });
        } catch (IllegalArgumentException | IllegalStateException | LinkageError e) {
            // No task to listen to: the units of the rounds the processor takes part in are still scanned.
        }
    }

    /** Reports every annotated method of a local or anonymous class in the compilation units of {@code roots}. */
    void scan(Set<? extends Element> roots) {
        if (trees == null) {
            return;
        }
        for (Element root : roots) {
            TreePath path = trees.getPath(root);
            if (path != null) {
                scan(path.getCompilationUnit());
            }
        }
    }

    private void scan(CompilationUnitTree unit) {
        if (trees != null && scanned.add(unit)) {
            new Finder(unit).scan(unit, null);
        }
    }

    private final class Finder extends TreePathScanner<Void, Void> {

        private final CompilationUnitTree unit;
        private final Set<String> imported = new HashSet<>();
        private final boolean wildcard;
        private int methodDepth;

        Finder(CompilationUnitTree unit) {
            this.unit = unit;
            String pkg = ANNOTATIONS.values().iterator().next().packageName();
            boolean star = false;
            for (ImportTree i : unit.getImports()) {
                String name = i.getQualifiedIdentifier().toString();
                star |= !i.isStatic() && name.equals(pkg + ".*");
                imported.add(name);
            }
            this.wildcard = star;
        }

        @Override
        public Void visitMethod(MethodTree method, Void unused) {
            if (methodDepth > 0 || enclosedByAnonymous()) {
                for (AnnotationTree annotation : method.getModifiers().getAnnotations()) {
                    ClassName name = callbacksAnnotation(annotation.getAnnotationType().toString());
                    if (name != null) {
                        report(method, name);
                    }
                }
            }
            methodDepth++;
            try {
                return super.visitMethod(method, unused);
            } finally {
                methodDepth--;
            }
        }

        @Override
        public Void visitNewClass(NewClassTree newClass, Void unused) {
            // Field initialisers create anonymous classes outside any method: count their bodies as local too.
            if (newClass.getClassBody() != null) {
                methodDepth++;
                try {
                    return super.visitNewClass(newClass, unused);
                } finally {
                    methodDepth--;
                }
            }
            return super.visitNewClass(newClass, unused);
        }

        private boolean enclosedByAnonymous() {
            Tree parent = getCurrentPath().getParentPath().getLeaf();
            return parent instanceof ClassTree c && c.getSimpleName().contentEquals("");
        }

        private ClassName callbacksAnnotation(String written) {
            ClassName byQualified = ANNOTATIONS.values().stream()
                    .filter(c -> c.canonicalName().equals(written))
                    .findFirst()
                    .orElse(null);
            if (byQualified != null) {
                return byQualified;
            }
            ClassName bySimple = ANNOTATIONS.get(written);
            return bySimple != null && (wildcard || imported.contains(bySimple.canonicalName())) ? bySimple : null;
        }

        private void report(MethodTree method, ClassName annotation) {
            boolean anonymous = enclosedByAnonymous();
            String text = Message.LOCAL_HOOK_CLASS.format(
                    annotation.simpleName(), method.getName(), anonymous ? "an anonymous class" : "a local class");
            trees.printMessage(Kind.ERROR, text, method, unit);
        }
    }
}
