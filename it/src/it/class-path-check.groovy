// Shared by the user projects' verify.groovy: reads dependency:list's output and asserts on it.
// An entry is groupId:artifactId:type[:classifier]:version:scope.
class ClassPathCheck {

    static List<Map> read(File list) {
        assert list.isFile() : "dependency:list wrote no ${list}"
        list.readLines()*.trim()
            .findAll { it ==~ /^[\w.\-]+:[\w.\-]+:[\w.\-]+:.*/ }
            .collect { line ->
                def p = line.split(' ')[0].split(':')
                [group: p[0], artifact: p[1], classifier: p.length == 6 ? p[3] : '', version: p[p.length - 2],
                 line: line]
            }
    }

    static List<Map> of(List<Map> cp, String group, String artifact) {
        cp.findAll { it.group == group && it.artifact == artifact }
    }

    static void onlyVersion(List<Map> cp, String group, String artifact, String version) {
        def found = of(cp, group, artifact)
        assert !found.isEmpty() : "${group}:${artifact} is not on the class path"
        def versions = found*.version.unique()
        assert versions == [version] : "${group}:${artifact}: expected only ${version}, found ${found*.line}"
        println "class path: ${group}:${artifact} only in ${version} (${found*.classifier.collect { it ?: 'jar' }})"
    }

    static void present(List<Map> cp, String group, String artifact) {
        assert !of(cp, group, artifact).isEmpty() : "${group}:${artifact} is not on the class path"
    }

    static void absent(List<Map> cp, String group, String artifact) {
        def found = of(cp, group, artifact)
        assert found.isEmpty() : "${group}:${artifact} should not be on the class path: ${found*.line}"
    }

    /** The natives of the machine running the test, as the runtime's POM profiles choose them. */
    static void nativesOfThisMachine(List<Map> cp) {
        nativesOfThisMachine(cp, true)
    }

    /**
     * {@code onlyOneNd4jBuild}: false for a project that declares nd4j-native itself, as DL4J's docs have users do;
     * ND4J's POM then adds its generic natives beside the runtime's build (JavaCPP loads the runtime's first).
     */
    static void nativesOfThisMachine(List<Map> cp, boolean onlyOneNd4jBuild) {
        String os = System.getProperty('os.name').toLowerCase()
        String arch = System.getProperty('os.arch')
        String expected = os.contains('linux') && arch == 'amd64' ? 'linux-x86_64'
                : os.contains('linux') && arch == 'aarch64' ? 'linux-arm64'
                : os.contains('mac') && arch == 'aarch64' ? 'macosx-arm64'
                : os.contains('mac') ? 'macosx-x86_64'
                : os.contains('windows') ? 'windows-x86_64' : null
        assert expected != null : "no natives expected for ${os} ${arch}"
        for (a in [['org.bytedeco', 'openblas'], ['org.bytedeco', 'javacpp']]) {
            def classifiers = of(cp, a[0], a[1])*.classifier
            assert classifiers.contains(expected) : "${a[0]}:${a[1]}:${expected} is not on the class path: ${classifiers}"
        }
        // ND4J's natives: one build only, on Linux x86-64 the oneDNN AVX2 one (javacpp.platform.extension).
        String nd4j = expected == 'linux-x86_64' ? 'linux-x86_64-onednn-avx2' : expected
        def natives = of(cp, 'org.nd4j', 'nd4j-native')*.classifier.findAll { it }
        if (onlyOneNd4jBuild) {
            assert natives == [nd4j] : "org.nd4j:nd4j-native: expected the natives ${nd4j} only, found ${natives}"
        } else {
            assert natives.contains(nd4j) : "org.nd4j:nd4j-native: the natives ${nd4j} are missing: ${natives}"
        }
    }
}
return ClassPathCheck
