// The class path Maven resolved for a user project that declares callbacks4j-runtime alone (README's setup).
// ND4J's own POM asks for JavaCPP 1.5.7 and OpenBLAS 0.3.19-1.5.7; the runtime's POM must win for all of them.
def ClassPathCheck = evaluate(new File(itSources, "class-path-check.groovy"))
def cp = ClassPathCheck.read(new File(basedir, 'target/class-path.txt'))

ClassPathCheck.onlyVersion(cp, 'org.bytedeco', 'javacpp', javacppVersion)
ClassPathCheck.onlyVersion(cp, 'org.bytedeco', 'openblas', openblasVersion)
ClassPathCheck.onlyVersion(cp, 'org.nd4j', 'nd4j-native', nd4jVersion)
ClassPathCheck.nativesOfThisMachine(cp)

// The 1.7 API level the runtime publishes (README, "Logging").
ClassPathCheck.onlyVersion(cp, 'org.slf4j', 'slf4j-api', slf4jApiLevel)
// Optional or excluded: XChart (plotting), OSHI with JNA (ND4J's unused system-info tool, whose manifest drew [path]).
ClassPathCheck.absent(cp, 'org.knowm.xchart', 'xchart')
ClassPathCheck.absent(cp, 'de.erichseifert.vectorgraphics2d', 'VectorGraphics2D')
ClassPathCheck.absent(cp, 'com.github.oshi', 'oshi-core')
ClassPathCheck.absent(cp, 'net.java.dev.jna', 'jna-platform')

// Another platform's build gets that platform's natives, in the same versions, and no Linux x86-64 ones.
for (platform in ['macosx-arm64', 'windows-x86_64', 'linux-arm64']) {
    def tree = new File(basedir, "target/tree-${platform}.txt").text
    for (a in ["org.nd4j:nd4j-native:jar:${platform}:${nd4jVersion}",
               "org.bytedeco:javacpp:jar:${platform}:${javacppVersion}",
               "org.bytedeco:openblas:jar:${platform}:${openblasVersion}"]) {
        assert tree.contains(a) : "${platform}: ${a} missing from\n${tree}"
    }
    assert !tree.contains('linux-x86_64') : "${platform}: Linux x86-64 natives on the class path\n${tree}"
    println "class path for ${platform}: its natives, none for linux-x86_64"
}

// -Xlint:all -Werror compiled the training class, and the processor generated its dispatcher.
assert new File(basedir, 'target/classes/demo/DemoTraining_Callbacks.class').isFile()
return true
