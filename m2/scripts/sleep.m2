-- Entry script for tests: sleeps job#"seconds" seconds, then writes {"slept": seconds}.
-- Usage: M2 --script sleep.m2 in.json out.json
needsPackage("Neuromanifold", FileName => getenv "NEUROMANIFOLD_M2_DIR" | "/Neuromanifold.m2");
(inFile, outFile) = jobFiles();
job = readJob inFile;
sleep(job#"seconds");
writeResult(outFile, hashTable {"slept" => job#"seconds"});
