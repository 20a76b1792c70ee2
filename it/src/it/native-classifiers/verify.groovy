// dependency:resolve downloaded each platform's natives into the user projects' repository: they exist.
def repo = localRepositoryPath instanceof File ? localRepositoryPath : new File(localRepositoryPath.toString())
for (platform in ['macosx-arm64', 'windows-x86_64', 'linux-arm64']) {
    for (jar in ["org/nd4j/nd4j-native/${nd4jVersion}/nd4j-native-${nd4jVersion}-${platform}.jar",
                 "org/bytedeco/javacpp/${javacppVersion}/javacpp-${javacppVersion}-${platform}.jar",
                 "org/bytedeco/openblas/${openblasVersion}/openblas-${openblasVersion}-${platform}.jar"]) {
        def file = new File(repo, jar)
        assert file.isFile() && file.length() > 0 : "${jar} was not resolved"
        println "resolved ${jar} (${file.length()} bytes)"
    }
}
return true
