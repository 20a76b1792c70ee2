// A DL4J user's project that imports callbacks4j-bom: DL4J's POMs ask for other JavaCPP and OpenBLAS versions, the BOM
// manages them to the ones the runtime is tested with.
def ClassPathCheck = evaluate(new File(itSources, "class-path-check.groovy"))
def cp = ClassPathCheck.read(new File(basedir, 'target/class-path.txt'))

ClassPathCheck.onlyVersion(cp, 'org.bytedeco', 'javacpp', javacppVersion)
ClassPathCheck.onlyVersion(cp, 'org.bytedeco', 'openblas', openblasVersion)
ClassPathCheck.onlyVersion(cp, 'org.nd4j', 'nd4j-native', nd4jVersion)
ClassPathCheck.onlyVersion(cp, 'org.nd4j', 'nd4j-api', nd4jVersion)
// This project declares nd4j-native itself: ND4J's POM adds the generic natives too (README, "Platforms").
ClassPathCheck.nativesOfThisMachine(cp, false)
// The project plots: XChart in the BOM's version, declared without one.
ClassPathCheck.onlyVersion(cp, 'org.knowm.xchart', 'xchart', '4.0.3')
ClassPathCheck.present(cp, 'org.deeplearning4j', 'deeplearning4j-nn')

assert new File(basedir, 'target/classes/demo/DemoTraining_Callbacks.class').isFile()
return true
