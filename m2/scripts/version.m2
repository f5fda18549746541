-- Entry script: writes {"version": <Macaulay2 version>} to the output file.
-- Usage: M2 --script version.m2 in.json out.json
needsPackage("Neuromanifold", FileName => getenv "NEUROMANIFOLD_M2_DIR" | "/Neuromanifold.m2");
(inFile, outFile) = jobFiles();
writeResult(outFile, hashTable {"version" => version#"VERSION"});
